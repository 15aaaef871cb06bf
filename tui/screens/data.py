"""Step 3: choose a data version, a feature set and a training preset."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from core.steps import Step
from tui.messages import WorkFinished
from tui.screens.base import StepScreen


class DataScreen(StepScreen):
    STEP = Step.DATA
    HELP = """\
Numerai publishes its data in **versions** (v5.2 is current). Each has
feature sets: **small** (about 40 features) trains in minutes on a laptop,
**medium** (about 700) is what Numerai's example model uses, **all** (2,748
in v5.2) needs the most memory.

Presets: **quick** is a few trees for trying the flow; **example** is
Numerai's example model (2,000 trees); **deep** is Numerai's large model
(30,000 trees, much more CPU and memory).

The estimate shows the peak memory and time to load and train here, and
the time and memory of a prediction in Numerai's runner (1 CPU, 4 GB,
10 minutes). A choice that will not fit is flagged before you train.
"""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="data-choices"):
            with Vertical(classes="choice"):
                yield Label("Data version")
                yield Select([], id="version", allow_blank=True, prompt="loading…")
                yield Label("Preset")
                yield OptionList(id="preset")
            with Vertical(classes="choice"):
                yield Label("Feature set")
                yield OptionList(id="feature-set")
        yield Static("Loading the data versions…", id="estimate")

    def compose_actions(self) -> ComposeResult:
        yield Button("Continue", id="continue", variant="primary", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        from core.presets import PRESETS

        presets = self.query_one("#preset", OptionList)
        for name, preset in PRESETS.items():
            presets.add_option(Option(f"{name}: {preset.description}", id=name))
        names = list(PRESETS)
        presets.highlighted = names.index(self.session.preset) if self.session.preset in names else 0

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if not self.query_one("#version", Select).is_blank() or self.busy:
            return
        self.load_versions()

    @work(thread=True, exclusive=True, exit_on_error=False, name="versions")
    def load_versions(self) -> None:
        versions = self.session.data_versions()
        self.post_message(WorkFinished("versions", versions))

    @work(thread=True, exclusive=True, exit_on_error=False, name="feature-sets", group="features")
    def load_feature_sets(self, version: str) -> None:
        sizes = self.session.feature_sets(version)
        self.post_message(WorkFinished("feature-sets", sizes))

    @work(thread=True, exclusive=True, exit_on_error=False, name="estimate", group="estimate")
    def load_estimate(self, version: str, feature_set: str) -> None:
        estimate = self.session.estimate(version, feature_set)
        self.post_message(WorkFinished("estimate", estimate))

    def on_work_finished(self, message: WorkFinished) -> None:
        handler = {
            "versions": self._show_versions,
            "feature-sets": self._show_feature_sets,
            "estimate": self._show_estimate,
            "chosen": self._chosen,
        }[message.task]
        handler(message.result)

    def _show_versions(self, versions: list[str]) -> None:
        select = self.query_one("#version", Select)
        if not versions:
            self.show_error("No data version with training files is available.")
            return
        select.set_options((v, v) for v in versions)
        remembered = self.session.data_version or self.session.state.data_version
        select.value = remembered if remembered in versions else versions[0]

    @on(Select.Changed, "#version")
    def version_changed(self, event: Select.Changed) -> None:
        if event.value is Select.BLANK:
            return
        self.query_one("#estimate", Static).update(f"Reading the feature sets of {event.value}…")
        self.load_feature_sets(str(event.value))

    def _show_feature_sets(self, sizes: dict[str, int]) -> None:
        options = self.query_one("#feature-set", OptionList)
        options.clear_options()
        for name, size in sizes.items():
            options.add_option(Option(f"{name} ({size:,} features)", id=name))
        names = list(sizes)
        preferred = self.session.feature_set if self.session.feature_set in names else names[0]
        options.highlighted = names.index(preferred)
        button = self.query_one("#continue", Button)
        button.disabled = False
        button.focus()

    def _choice(self, widget_id: str) -> str | None:
        options = self.query_one(widget_id, OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionHighlighted)
    def choice_changed(self) -> None:
        version = self.query_one("#version", Select).value
        feature_set = self._choice("#feature-set")
        preset = self._choice("#preset")
        if version is Select.BLANK or feature_set is None or preset is None:
            return
        self.session.preset = preset
        self.load_estimate(str(version), feature_set)

    def _show_estimate(self, estimate) -> None:
        from tui.format import estimate_text

        self.query_one("#estimate", Static).update(estimate_text(estimate))

    @on(Button.Pressed, "#continue")
    def continue_(self) -> None:
        self.clear_error()
        version = self.query_one("#version", Select).value
        feature_set, preset = self._choice("#feature-set"), self._choice("#preset")
        if version is Select.BLANK or feature_set is None or preset is None:
            self.show_error("Choose a data version, a feature set and a preset first.")
            return
        self.choose(str(version), feature_set, preset)

    @work(thread=True, exclusive=True, exit_on_error=False, name="choose")
    def choose(self, version: str, feature_set: str, preset: str) -> None:
        self.session.choose_data(version, feature_set, preset)
        self.post_message(WorkFinished("chosen"))

    def _chosen(self, _result: None) -> None:
        self.refresh_steps()
        self.go_next()
