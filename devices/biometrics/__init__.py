"""Biometric encoders: adapters implementing the core's ``FaceEncoder`` port.

``dlib_encoder`` is the only module that imports dlib; import it explicitly, so that this
package stays importable (and the headless tests run) where dlib is not installed.
"""

from __future__ import annotations
