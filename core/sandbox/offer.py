"""Whether Numerai's API offers a runner image for the Python a pickle needs."""

from __future__ import annotations

from core.sandbox.report import Reason, SandboxReport, sort_reasons, verdict_of


def add_runner_offer(report: SandboxReport, images: list) -> SandboxReport:
    """Add a reason saying whether one of `images` runs `report.python`.

    `images` are the API's docker images (`DockerImage` with a `python`
    attribute such as "3.11"). The verdict is recomputed from all reasons.
    """
    from core.upload import UnsupportedChoice, choose_docker_image

    if report.python is None:
        return report
    try:
        image = choose_docker_image(images, report.python)
    except UnsupportedChoice as error:
        reason = Reason("python_not_offered", "fail", error.one_line())
    else:
        reason = Reason(
            "runner_offered", "info", f"Numerai offers a runner for it: {image.name}."
        )
    report.reasons = sort_reasons([*report.reasons, reason])
    report.verdict = verdict_of(report.reasons)
    return report
