"""`dossier evidence verify` on a signed bundle says in one line what holds and what does not
(issue 9, part 6): no traceback, the signer's trust stated, and how to pass a trust root."""

import subprocess
import sys
from pathlib import Path

import pytest

from evidence.assemble import BatesOptions, Part, assemble
from evidence.bundle import write_bundle
from evidence.sign import ensure_dev_signing_pair, sign_pdf

sys.path.insert(0, str(Path(__file__).parents[1] / "evidence"))
from evidence_factories import make_pdf

CLI = [sys.executable, "-m", "service.cli", "evidence", "verify"]


@pytest.fixture(scope="module")
def signed_bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("verify")
    key, cert = ensure_dev_signing_pair(tmp / "keys")
    packet = tmp / "packet.pdf"
    assemble([Part.from_pdf(make_pdf(tmp / "c.pdf", 2), "起诉状")], packet, bates=BatesOptions("T-"))
    signed = tmp / "signed.pdf"
    sign_pdf(packet, signed, key, cert, reason="Litigation packet", location="Dossier")
    bundle = tmp / "bundle.zip"
    write_bundle(bundle, packet_pdf=signed, files=[], manifest={"items": []})
    return bundle, cert


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_without_a_trust_root_one_line_says_intact_valid_untrusted_and_what_to_do(signed_bundle):
    bundle, _ = signed_bundle
    done = _run(str(bundle))
    assert done.returncode == 0, done.stderr
    output = (done.stdout + done.stderr).strip()
    assert "Traceback" not in output and "self-signed" not in output.lower()
    assert len(output.splitlines()) == 1, output
    line = output.lower()
    for words in ("intact", "signature valid", "not trusted", "development certificate", "--trust-root"):
        assert words in line, output


def test_with_the_trust_root_the_signer_is_trusted(signed_bundle):
    bundle, cert = signed_bundle
    done = _run(str(bundle), "--trust-root", str(cert))
    assert done.returncode == 0, done.stderr
    output = (done.stdout + done.stderr).strip()
    assert len(output.splitlines()) == 1 and "Traceback" not in output
    assert "intact" in output and "trusted" in output and "not trusted" not in output


def test_with_another_trust_root_it_fails_without_traceback(signed_bundle, tmp_path):
    bundle, _ = signed_bundle
    _, other = ensure_dev_signing_pair(tmp_path / "other")
    done = _run(str(bundle), "--trust-root", str(other))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr and "signature_untrusted" in done.stderr
