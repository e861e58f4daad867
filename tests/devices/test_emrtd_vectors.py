"""ICAO 9303-11 worked examples, byte for byte: Appendix D (BAC and 3DES secure messaging)
and Appendix G.1 (PACE-ECDH-GM with AES-128 on brainpoolP256r1)."""

from __future__ import annotations

import pytest

from devices.emrtd import bac, pace
from devices.emrtd.crypto import SmCipher, adjust_parity, kdf
from devices.emrtd.errors import AccessDenied, ChipResponseInvalid, PaceError
from devices.emrtd.security_infos import parse_security_infos
from devices.emrtd.session import EmrtdSession
from devices.emrtd.sm import IcaoSmProcessor
from devices.smartcard.apdu import BasicProcessor, CommandApdu
from devices.smartcard.base import SecureMessagingError
from workstation.documents import MrzAccessKey

# Appendix D: the specimen document L898902C<, born 690806, expiring 940623.
D_KEY = MrzAccessKey("L898902C", "690806", "940623")
D_RND_IC = "4608F91988702212"
D_RND_IFD = "781723860C06C226"
D_K_IFD = "0B795240CB7049B01C19B33E32804F0B"
D_BAC = [
    ("0084000008", D_RND_IC, 0x9000),
    (
        "0082000028"
        "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
        "5F1448EEA8AD90A728",
        "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449",
        0x9000,
    ),
]
D_SM = [
    (
        "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
        "990290008E08FA855A5D4C50A8ED",
        0x9000,
    ),
    (
        "0CB000000D9701048E08ED6705417E96BA5500",
        "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED",
        0x9000,
    ),
    (
        "0CB000040D9701128E082EA28A70F3C7B53500",
        "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D74",
        0x9000,
    ),
]

# Appendix G.1: T22000129 / 640812 / 101031, EF.CardAccess with one PACEInfo (ID 13).
G_KEY = MrzAccessKey("T22000129", "640812", "101031")
G_CARD_ACCESS = "31143012060A04007F0007020204020202010202010D"
G_SK_MAP = 0x7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99
G_SK_DH = 0xA73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595
G_PACE = [
    ("0022C1A412800A04007F0007020204020283010184010D", "", 0x9000),
    ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C3", 0x9000),
    (
        "10860000457C43814104"
        "7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
        "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00",
        "7C43824104"
        "824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
        "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54",
        0x9000,
    ),
    (
        "10860000457C43834104"
        "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
        "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200",
        "7C43844104"
        "9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
        "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094",
        0x9000,
    ),
    ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C08", 0x9000),
]


def _random(*chunks: str):
    values = iter(bytes.fromhex(c) for c in chunks)
    return lambda n: next(values)


def _scalars():
    values = iter((G_SK_MAP, G_SK_DH))
    return lambda curve: next(values)


def test_bac_key_derivation_appendix_d2() -> None:
    assert bac.mrz_information(D_KEY) == "L898902C<369080619406236"
    assert bac.key_seed(D_KEY).hex().upper() == "239AB9CB282DAF66231DC5A4DF6BFBAE"
    k_enc, k_mac = bac.document_keys(D_KEY)
    assert adjust_parity(k_enc).hex().upper() == "AB94FDECF2674FDFB9B391F85D7F76F2"
    assert adjust_parity(k_mac).hex().upper() == "7962D9ECE03D1ACD4C76089DCE131543"


def test_bac_and_secure_messaging_appendix_d3_d4(scripted) -> None:
    connection = scripted(D_BAC + D_SM)
    secure = bac.authenticate(BasicProcessor(connection), D_KEY, _random(D_RND_IFD, D_K_IFD))
    assert secure.ssc == 0x887022120C06C226
    assert adjust_parity(secure._enc._key[:16]).hex().upper() == "979EC13B1CBFE9DCD01AB0FED307EAE5"
    assert adjust_parity(secure._mac._key[:16]).hex().upper() == "F1CB1F1FB5ADF208806B89DC579DC1F8"
    assert secure.send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, bytes.fromhex("011E"))).sw == 0x9000
    assert secure.send(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4)).data.hex().upper() == "60145F01"
    rest = secure.send(CommandApdu(0x00, 0xB0, 0x00, 0x04, le=0x12)).data
    assert rest.hex().upper() == "04303130365F36063034303030305C026175"
    assert secure.ssc == 0x887022120C06C22C
    connection.assert_done()


def test_bac_refused_and_bad_cryptogram(scripted) -> None:
    refused = scripted([D_BAC[0], (D_BAC[1][0], "", 0x6300)])
    with pytest.raises(AccessDenied):
        bac.authenticate(BasicProcessor(refused), D_KEY, _random(D_RND_IFD, D_K_IFD))
    corrupted = D_BAC[1][1][:-2] + "00"
    bad = scripted([D_BAC[0], (D_BAC[1][0], corrupted, 0x9000)])
    with pytest.raises(ChipResponseInvalid):
        bac.authenticate(BasicProcessor(bad), D_KEY, _random(D_RND_IFD, D_K_IFD))


def test_pace_appendix_g1(scripted) -> None:
    # The terminal's AES secure messaging under the G.1 keys: SELECT of the eMRTD
    # application with SSC 0. ICAO publishes no AES SM example; this answer is the one an
    # independent implementation computed for the same keys.
    select = (
        "0CA4040C1D871101752F676B09FAC86A87D632749A49C7CC8E08C18BA1FCE707BD9F00",
        "990290008E08BEA7B381C494A079",
        0x9000,
    )
    connection = scripted([("00B09C0000", G_CARD_ACCESS, 0x6282), *G_PACE, select])
    session = EmrtdSession(BasicProcessor(connection), scalars=_scalars())
    method, detail = session.authenticate(G_KEY)
    assert method.value == "PACE"
    assert detail == "PACE-ECDH-GM-AES-128 brainpoolP256r1"
    assert session.secure is not None
    assert session.secure._enc._key.hex().upper() == "F5F0E35C0D7161EE6724EE513A0D9A7F"
    assert session.secure._mac._key.hex().upper() == "FE251C7858B356B24514B3BD5F4297D1"
    connection.assert_done()


def test_pace_password_key_appendix_g() -> None:
    secret, reference = pace.password(G_KEY)
    assert secret.hex().upper() == "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
    assert reference == pace.PASSWORD_MRZ
    assert kdf(secret, 3, SmCipher.AES128).hex().upper() == "89DED1B26624EC1E634C1989302849DD"


def test_pace_wrong_password_and_bad_token(scripted) -> None:
    info = parse_security_infos(bytes.fromhex(G_CARD_ACCESS)).pace[0]
    denied = scripted([*G_PACE[:-1], (G_PACE[-1][0], "", 0x6300)])
    with pytest.raises(AccessDenied):
        pace.authenticate(BasicProcessor(denied), info, G_KEY, _scalars())
    forged = scripted([*G_PACE[:-1], (G_PACE[-1][0], "7C0A86083ABB9674BCE93C09", 0x9000)])
    with pytest.raises(ChipResponseInvalid):
        pace.authenticate(BasicProcessor(forged), info, G_KEY, _scalars())
    refused = scripted([(G_PACE[0][0], "", 0x6A80)])
    with pytest.raises(PaceError):
        pace.authenticate(BasicProcessor(refused), info, G_KEY, _scalars())


def test_pace_refused_falls_back_to_bac(scripted) -> None:
    connection = scripted(
        [
            ("00B09C0000", G_CARD_ACCESS, 0x6282),
            (G_PACE[0][0], "", 0x6A80),
            ("00A4040C07A0000002471001", "", 0x9000),
            *D_BAC,
        ]
    )
    session = EmrtdSession(BasicProcessor(connection), _random(D_RND_IFD, D_K_IFD))
    method, _detail = session.authenticate(D_KEY)
    assert method.value == "BAC"
    assert isinstance(session.pace_error, PaceError)


def test_sm_rejects_wrong_mac_and_chip_errors(scripted) -> None:
    read = CommandApdu(0, 0xB0, 0, 0, le=4)

    def processor(answer: str, sw: int) -> IcaoSmProcessor:
        twin = IcaoSmProcessor(BasicProcessor(scripted([])), SmCipher.DES3, bytes(16), bytes(16))
        script = [(twin.wrap(read).to_bytes(), answer, sw)]
        return IcaoSmProcessor(
            BasicProcessor(scripted(script)), SmCipher.DES3, bytes(16), bytes(16)
        )

    with pytest.raises(SecureMessagingError):
        processor("990290008E080000000000000000", 0x9000).send(read)
    with pytest.raises(SecureMessagingError):
        processor("", 0x6988).send(read)
    assert processor("", 0x6A82).send(read).sw == 0x6A82


def test_sm_counter_rolls_back_when_reader_refuses_extended(scripted) -> None:
    secure = IcaoSmProcessor(BasicProcessor(scripted([])), SmCipher.AES128, bytes(16), bytes(16), 5)
    command = CommandApdu(0, 0xB0, 0, 0, le=0x7F00)
    wrapped = secure.wrap(command)
    assert wrapped.needs_extended and wrapped.to_bytes()[-2:] == b"\x00\x00"
    secure.ssc = 5
    secure.inner.connection.script.append((wrapped.to_bytes(), b"", 0x6700))
    assert secure.send(command).sw == 0x6700
    assert secure.ssc == 5


@pytest.mark.parametrize(
    ("suite", "length"),
    [(SmCipher.DES3, 16), (SmCipher.AES128, 16), (SmCipher.AES192, 24), (SmCipher.AES256, 32)],
)
def test_kdf_lengths(suite: SmCipher, length: int) -> None:
    assert len(kdf(b"secret", 1, suite)) == length
    assert kdf(b"secret", 1, suite) != kdf(b"secret", 2, suite)
