"""One screen per wizard step."""

from core.steps import Step
from tui.screens.data import DataScreen
from tui.screens.enable import EnableScreen
from tui.screens.keys import KeysScreen
from tui.screens.sandbox import SandboxScreen
from tui.screens.train import TrainScreen
from tui.screens.upload import UploadScreen

SCREENS_BY_STEP = {
    Step.KEYS: KeysScreen,
    Step.ENABLE: EnableScreen,
    Step.DATA: DataScreen,
    Step.TRAIN: TrainScreen,
    Step.SANDBOX: SandboxScreen,
    Step.UPLOAD: UploadScreen,
}
