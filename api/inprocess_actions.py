"""Run the custom actions inside the gateway's process, with no HTTP hop.

Rasa calls every custom action through `RemoteAction`, which only does
`await action_endpoint.request(json=...)`. This endpoint hands that JSON to
rasa_sdk's executor directly and raises what `RemoteAction` expects when
the action server would have answered with an error.
"""
from __future__ import annotations

import json
from typing import Any

from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException


class InProcessActionEndpoint(EndpointConfig):
    def __init__(self, package: str = "actions") -> None:
        super().__init__(url=f"inprocess://{package}")
        self.executor = ActionExecutor()
        self.executor.register_package(package)

    async def request(self, method: str = "post", subpath: str | None = None, **kwargs: Any) -> Any:
        action_call = kwargs.get("json")
        try:
            return await self.executor.run(action_call)
        except ActionExecutionRejection as e:
            raise ClientResponseError(400, "Bad Request", _body(e)) from e
        except ActionNotFoundException as e:
            raise ClientResponseError(404, "Not Found", _body(e)) from e


def _body(error: ActionExecutionRejection | ActionNotFoundException) -> str:
    return json.dumps({"error": error.message, "action_name": error.action_name})
