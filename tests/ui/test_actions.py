"""The window's actions: one declared attribute per action spec."""

import inspect

from reader.ui.actions import SPECS, Actions


def test_every_action_spec_is_a_declared_attribute_and_no_other():
    # The type checker trusts the declarations; a spec added without one (or a
    # declaration left after its spec is gone) would make it wrong.
    declared = set(inspect.get_annotations(Actions))
    assert declared == {spec.name for spec in SPECS}
