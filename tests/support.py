"""Constants the tests of every app share."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CES = REPO / "programs" / "ces"

# One person of each role in the CES program file, used across the policy tests.
ROLE_PEOPLE = {
    "coordinator": "coord-01",
    "supervisor": "sup-01",
    "facilitator": "fac-01",
    "clinician": "clin-01",
    "acompanante": "ac-g01-02",
}
