"""Step 3: choose a data version, a feature set, a training preset and its overrides."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from core.presets import PRESETS
from core.steps import Step
from tui.messages import WorkFinished
from tui.screens.base import StepScreen
from tui.screens.params import ParamError, parse_overrides, shown_params

PRESET_OPTIONS = [(name, name) for name in PRESETS]


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

**Trees** and **learning rate** override the preset; **era step** N trains
on every Nth era only (Numerai's example uses 4), which divides memory and
time by about N. Choosing another preset resets the overrides.

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
                yield Select(PRESET_OPTIONS, id="preset", allow_blank=False)
                yield Static("", id="preset-description", classes="hint")
            with Vertical(classes="choice"):
                yield Label("Feature set")
                yield OptionList(id="feature-set")
        with Horizontal(id="params"):
            yield Label("Trees")
            yield Input(id="trees", type="integer")
            yield Label("Learning rate")
            yield Input(id="learning-rate", type="number")
            yield Label("Era step")
            yield Input(id="era-step", type="integer")
        yield Static("Loading the data versions…", id="estimate")

    def compose_actions(self) -> ComposeResult:
        yield Button("Continue", id="continue", variant="primary", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        preset = self.query_one("#preset", Select)
        preset.value = (
            self.session.preset if self.session.preset in PRESETS else "quick"
        )
        self._show_params()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if not self.query_one("#version", Select).is_blank() or self.busy:
            return
        self.load_versions()

    @work(thread=True, exclusive=True, exit_on_error=False, name="versions")
    def load_versions(self) -> None:
        versions = self.session.data_versions()
        self.post_message(WorkFinished("versions", versions))

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        name="feature-sets",
        group="features",
    )
    def load_feature_sets(self, version: str) -> None:
        sizes = self.session.feature_sets(version)
        self.post_message(WorkFinished("feature-sets", sizes))

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        name="estimate",
        group="estimate",
    )
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

    def after_failure(self, task: str) -> None:
        if task == "versions":
            self.query_one("#estimate", Static).update(
                "Escape goes back; Re-enter this step to retry."
            )
        elif task in ("feature-sets", "estimate"):
            self.query_one("#estimate", Static).update("")

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
        self.query_one("#estimate", Static).update(
            f"Reading the feature sets of {event.value}…"
        )
        self.load_feature_sets(str(event.value))

    @on(Select.Changed, "#preset")
    def preset_changed(self, event: Select.Changed) -> None:
        if event.value is Select.BLANK or event.value == self.session.preset:
            self._show_params()
            return
        self.session.preset = str(event.value)
        self.session.params = {}
        self._show_params()
        self.choice_changed()

    def _show_params(self) -> None:
        trees, learning_rate, era_step = shown_params(self.session)
        self.query_one("#trees", Input).value = trees
        self.query_one("#learning-rate", Input).value = learning_rate
        self.query_one("#era-step", Input).value = era_step
        preset = PRESETS.get(self.session.preset)
        description = preset.description if preset else ""
        self.query_one("#preset-description", Static).update(description)

    @on(Input.Submitted, "#params Input")
    @on(Input.Blurred, "#params Input")
    def params_edited(self) -> None:
        if self._apply_params():
            self.choice_changed()

    def _apply_params(self) -> bool:
        """Store the override fields in the session; show what is invalid."""
        try:
            params, era_step = parse_overrides(
                self.session.preset,
                self.query_one("#trees", Input).value,
                self.query_one("#learning-rate", Input).value,
                self.query_one("#era-step", Input).value,
            )
        except ParamError as error:
            self.show_error(error.one_line())
            return False
        self.clear_error()
        self.session.params, self.session.era_step = params, era_step
        return True

    def _show_feature_sets(self, sizes: dict[str, int]) -> None:
        options = self.query_one("#feature-set", OptionList)
        options.clear_options()
        for name, size in sizes.items():
            options.add_option(Option(f"{name} ({size:,} features)", id=name))
        names = list(sizes)
        preferred = (
            self.session.feature_set if self.session.feature_set in names else names[0]
        )
        options.highlighted = names.index(preferred)
        button = self.query_one("#continue", Button)
        button.disabled = False
        button.focus()

    def _feature_set(self) -> str | None:
        options = self.query_one("#feature-set", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionHighlighted)
    def choice_changed(self) -> None:
        version = self.query_one("#version", Select).value
        feature_set = self._feature_set()
        if version is Select.BLANK or feature_set is None:
            return
        self.load_estimate(str(version), feature_set)

    def _show_estimate(self, estimate) -> None:
        from tui.format import estimate_text

        self.query_one("#estimate", Static).update(estimate_text(estimate))

    @on(OptionList.OptionSelected, "#feature-set")
    @on(Button.Pressed, "#continue")
    def continue_(self) -> None:
        self.clear_error()
        version = self.query_one("#version", Select).value
        feature_set = self._feature_set()
        if version is Select.BLANK or feature_set is None:
            self.show_error("Choose a data version and a feature set first.")
            return
        if not self._apply_params():
            return
        self.choose(str(version), feature_set, self.session.preset)

    @work(thread=True, exclusive=True, exit_on_error=False, name="choose")
    def choose(self, version: str, feature_set: str, preset: str) -> None:
        self.session.choose_data(version, feature_set, preset)
        self.post_message(WorkFinished("chosen"))

    def _chosen(self, _result: None) -> None:
        self.refresh_steps()
        self.go_next()
