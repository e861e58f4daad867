"""The application's look: one stylesheet, calm colours, large type for booth use."""

from __future__ import annotations

ACCENT = "#1f4e79"
TRAINING = "#b45309"
OK = "#15803d"
WARN = "#b45309"
ALERT = "#b91c1c"

STYLESHEET = f"""
QWidget {{
    font-family: "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic UI", "Meiryo", "Segoe UI",
        "DejaVu Sans", sans-serif;
    font-size: 10.5pt;
    color: #1f2933;
}}
QMainWindow, QWidget#page {{ background: #eef1f5; }}
QFrame#header {{ background: {ACCENT}; }}
QFrame#header QLabel {{ color: white; }}
QLabel#appTitle {{ font-size: 15pt; font-weight: 600; }}
QLabel#trainingBanner {{
    background: {TRAINING}; color: white; font-weight: 700; padding: 4px 12px;
    border-radius: 3px;
}}
QFrame#card {{
    background: white; border: 1px solid #d5dbe3; border-radius: 6px;
}}
QLabel#cardTitle {{ font-size: 11.5pt; font-weight: 600; color: {ACCENT}; }}
QLabel#fieldName {{ color: #52606d; }}
QLabel#fieldValue {{ font-weight: 600; }}
QLabel#hint {{ color: #52606d; }}
QLabel#error {{ color: {ALERT}; font-weight: 600; }}
QLabel#stepDone {{ color: {OK}; font-weight: 600; }}
QLabel#stepActive {{ color: white; background: {ACCENT}; border-radius: 10px; padding: 2px 10px; font-weight: 600; }}
QLabel#stepTodo {{ color: #9aa5b1; }}
QLabel#badgeOk {{ background: #dcfce7; color: {OK}; border-radius: 4px; padding: 3px 8px; font-weight: 600; }}
QLabel#badgeWarn {{ background: #fef3c7; color: {WARN}; border-radius: 4px; padding: 3px 8px; font-weight: 600; }}
QLabel#badgeAlert {{ background: #fee2e2; color: {ALERT}; border-radius: 4px; padding: 3px 8px; font-weight: 600; }}
QLabel#imageBox {{ background: #f5f7fa; border: 1px dashed #c3cbd5; border-radius: 4px; color: #9aa5b1; }}
QPushButton {{
    background: white; border: 1px solid #b8c2cc; border-radius: 4px; padding: 6px 14px;
}}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9aa5b1; background: #f5f7fa; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; font-weight: 600; padding: 8px 18px; }}
QPushButton#primary:disabled {{ background: #9fb3c8; }}
QPushButton#tile {{
    text-align: left; padding: 10px 16px; font-size: 12pt; font-weight: 600; min-height: 44px;
}}
QPushButton#tile:disabled {{ font-weight: 400; }}
QLineEdit, QComboBox, QPlainTextEdit {{
    background: white; border: 1px solid #b8c2cc; border-radius: 4px; padding: 5px;
}}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border-color: {ACCENT}; }}
QTableView {{ background: white; gridline-color: #e4e7eb; selection-background-color: #d9e6f2; selection-color: #1f2933; }}
QHeaderView::section {{ background: #f5f7fa; padding: 5px; border: none; border-bottom: 1px solid #d5dbe3; font-weight: 600; }}
QListWidget {{ background: white; border: 1px solid #d5dbe3; }}
QProgressBar {{ border: 1px solid #c3cbd5; border-radius: 3px; text-align: center; background: #f5f7fa; height: 14px; }}
QProgressBar::chunk {{ background: {ACCENT}; }}
QRadioButton {{ spacing: 8px; padding: 3px; }}
"""
