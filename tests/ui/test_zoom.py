"""Zoom has one pair of limits, whichever way the size is asked for."""

from reader.ui.comparison import MAX_ZOOM, MIN_ZOOM


def test_zooming_in_and_out_stops_at_the_views_limits(window):
    view = window.comparison
    base = view.pane("left").point_size() - view.zoom()
    for _ in range(MAX_ZOOM - MIN_ZOOM + 5):
        window.action_set.zoom_in.trigger()
    assert view.zoom() == MAX_ZOOM
    assert view.pane("left").point_size() == base + MAX_ZOOM
    for _ in range(MAX_ZOOM - MIN_ZOOM + 5):
        window.action_set.zoom_out.trigger()
    assert view.zoom() == MIN_ZOOM
    assert view.pane("right").point_size() == base + MIN_ZOOM


def test_a_remembered_zoom_beyond_the_limits_is_brought_within_them(window):
    window.set_zoom(MAX_ZOOM + 40)
    assert window.comparison.zoom() == MAX_ZOOM
    window.set_zoom(MIN_ZOOM - 40)
    assert window.comparison.zoom() == MIN_ZOOM
