"""The template unit, a sine wavefolder (units/fold.pxd): out = sin(pi / 2 x gain x in)."""
import numpy as np
import pytest

import reverie.core.units_probe as U
from scenarios import sine


@pytest.mark.parametrize("gain", [0.0, 1.0, 2.5, 7.0])
def test_it_folds_as_its_formula(gain):
    x = sine(110.0, 0.9, 4800)
    out = np.zeros_like(x)
    U.Fold(48000.0).render(out, x, gain)
    assert np.allclose(out, np.sin(np.pi / 2 * gain * x.astype(float)), atol=2e-6)
