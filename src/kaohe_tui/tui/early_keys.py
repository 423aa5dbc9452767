"""Keys typed ahead of a screen. Over SSH a burst such as ``i`` (the import dialog) then a path
arrives at once: the app hands every key to the focused widget of the screen on top *now*, so the
path's characters went to the table below, bubbled back unhandled after ``i`` had opened the
dialog, and were lost (the new screen had no focused field yet). Such a key is sent again, once
the new screen is built and has focused its first field, as if the user had waited for it. The
app's own queue waits meanwhile, so the keys keep their order."""

from __future__ import annotations

import asyncio
import contextlib
import weakref

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

# a screen that takes longer than this to build gets its keys anyway (as before): a key is never
# held long, whatever a screen does while it is built
LONGEST_WAIT = 2.0


class EarlyKeys:
    def __init__(self) -> None:
        # each key handed on → the screen it was handed to and the widget focused there then
        # (weak: a key handled is forgotten)
        self._sent_to: weakref.WeakKeyDictionary[events.Key, tuple[Screen, Widget | None]] = (
            weakref.WeakKeyDictionary())

    async def route(self, app: App, event: events.Event) -> events.Event | None:
        """What the app should handle in place of ``event``: the event itself, or (a key that came
        back unhandled from a screen no longer on top) the same key anew for the screen now on top,
        once it is ready; None when there is nothing to do."""
        if not isinstance(event, events.Key):
            return event
        if not event.is_forwarded:
            await self._until_ready(app.screen)
            self._sent_to[event] = (app.screen, app.screen.focused)
            return event
        sent_to, focused = self._sent_to.pop(event, (None, None))
        if sent_to is None:
            return event
        if sent_to is app.screen:
            now = app.screen.focused
            if not (isinstance(now, Input) and now is not focused):
                return event  # bubbled back from the screen it was meant for: the app's bindings next
            # typed behind a key that focused a text field (/ and a filter), handed on before
            # that key was handled: the text is the field's
        # typed for the screen below, which did not want it: the key belongs to the one on top
        again = events.Key(event.key, event.character)
        again.set_sender(app)
        await self._until_ready(app.screen)
        self._sent_to[again] = (app.screen, app.screen.focused)
        return again

    @staticmethod
    async def _until_ready(screen: Screen) -> None:
        if screen.is_mounted:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(screen._mounted_event.wait(), LONGEST_WAIT)
