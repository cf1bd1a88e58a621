"""What grading a session at its end found, in one object: the strict suite's grade, the user's
own tests, and, where there is one, the code-quality review, the change request's cost and the
keyword check of the design. The scorecard prints it and the history keeps it."""

from __future__ import annotations

from dataclasses import dataclass

from .change import ChangeCost
from .design import DesignCheck
from .grading import Grade, OwnTests
from .quality import Quality


@dataclass
class Verdict:
    grade: Grade
    own: OwnTests
    quality: Quality | None = None  # None: not reviewed at all
    cost: ChangeCost | None = None  # None: no change request revealed, or not measurable
    design: DesignCheck | None = None  # None: the problem has no model design
