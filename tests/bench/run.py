"""Our one-process server against the classic Rasa deployment (`make bench`).

Both serve the same trained model and the same knowledge database. For
each: cold start (process start to first answer), latency percentiles and
throughput with 1 and 20 concurrent conversations over HTTP on loopback,
and peak resident memory (all processes of the deployment).
"""
from __future__ import annotations

import asyncio
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from api.settings import PROJECT_ROOT, latest_model
from tests.conftest import VENV_BIN, free_port

QUESTIONS = [
    "my boss kept my passport, is that allowed?",
    "mi patron no me paga el salario desde hace dos meses",
    "mon employeur ne me donne pas de jour de repos",
    "صاحب العمل أخذ جواز سفري، هل هذا مسموح؟",
    "I need a free lawyer",
    "thank you",
]
MESSAGES_PER_CONVERSATION = 15
SERIAL_CONVERSATIONS = 8
CONCURRENT = 20
# People read and type between messages: each paced conversation waits
# THINK_SECONDS (+-50%) after a reply, a pace several times faster than a
# person on a phone. "Saturated" sends the next message at once.
THINK_SECONDS = 2.0


@dataclass
class Deployment:
    name: str
    commands: list[list[str]]
    url: str
    body: callable
    env: dict = field(default_factory=dict)
    processes: list = field(default_factory=list)

    def start(self, log_dir: Path) -> None:
        for i, command in enumerate(self.commands):
            log = (log_dir / f"{self.name}-{i}.log").open("wb")
            self.processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, env=os.environ | self.env, stdout=log, stderr=subprocess.STDOUT))

    def peak_rss_mb(self) -> float:
        total = 0
        for p in self.processes:
            for line in Path(f"/proc/{p.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        for p in self.processes:
            p.terminate()
        for p in self.processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


async def _post(client: httpx.AsyncClient, deployment: Deployment, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = await client.post(deployment.url, json=deployment.body(sender, text))
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


async def cold_start(deployment: Deployment, started: float, timeout: float = 300) -> float:
    async with httpx.AsyncClient(timeout=30) as client:
        while time.monotonic() - started < timeout:
            try:
                await _post(client, deployment, "cold", "hello")
                return time.monotonic() - started
            except (httpx.HTTPError, httpx.HTTPStatusError):
                await asyncio.sleep(0.2)
    raise TimeoutError(f"{deployment.name} did not answer within {timeout} s")


async def load(deployment: Deployment, conversations: int, rounds: int, think: float) -> tuple[list[float], float]:
    """`conversations` at once, `rounds` conversations each, 15 messages per conversation."""
    latencies: list[float] = []
    rng = random.Random(42)

    async def conversation(client, n):
        if think:  # people do not all start at the same second
            await asyncio.sleep(rng.uniform(0, 2 * think))
        for r in range(rounds):
            for i in range(MESSAGES_PER_CONVERSATION):
                sender = f"bench-{deployment.name}-{conversations}-{think}-{n}-{r}"
                latencies.append(await _post(client, deployment, sender, QUESTIONS[(n + i) % len(QUESTIONS)]))
                if think:
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    limits = httpx.Limits(max_connections=conversations)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await _post(client, deployment, "warm-up", QUESTIONS[0])
        started = time.perf_counter()
        await asyncio.gather(*(conversation(client, n) for n in range(conversations)))
        elapsed = time.perf_counter() - started
    return latencies, len(latencies) / elapsed


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def measure(deployment: Deployment, log_dir: Path) -> dict:
    started = time.monotonic()
    deployment.start(log_dir)
    try:
        result = {"cold start (s)": await cold_start(deployment, started)}
        for label, conversations, rounds, think in (
            ("1 conv", 1, SERIAL_CONVERSATIONS, 0.0),
            ("20 paced", CONCURRENT, 1, THINK_SECONDS),
            ("20 saturated", CONCURRENT, 1, 0.0),
        ):
            latencies, rate = await load(deployment, conversations, rounds, think)
            for q in (50, 95, 99):
                result[f"p{q} ms {label}"] = percentile(latencies, q)
            result[f"msg/s {label}"] = rate
        result["peak RSS (MB)"] = deployment.peak_rss_mb()
        return result
    finally:
        deployment.stop()


def main() -> int:
    model = Path(os.environ.get("MODEL_PATH") or latest_model(PROJECT_ROOT / "bot" / "models"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    knowledge = tmp / "knowledge.db"
    from knowledge.build import build

    build(knowledge)
    common = {"KNOWLEDGE_DB": str(knowledge), "RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "WARNING"}
    ours_port, rasa_port, actions_port = free_port(), free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    ours = Deployment(
        "ours",
        [[str(VENV_BIN / "uvicorn"), "api.main:app", "--port", str(ours_port), "--ws", "wsproto", "--no-access-log", "--log-level", "warning"]],
        f"http://127.0.0.1:{ours_port}/api/v1/chat",
        lambda sender, text: {"sender_id": sender, "text": text},
        common | {"DATA_DIR": str(tmp / "ours"), "MODEL_PATH": str(model)},
    )
    classic = Deployment(
        "rasa",
        [
            [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            [str(VENV_BIN / "rasa"), "run", "--enable-api", "--model", str(model), "--endpoints", str(endpoints),
             "--credentials", "bot/credentials.yml", "--port", str(rasa_port), "--interface", "127.0.0.1"],
        ],
        f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
        lambda sender, text: {"sender": sender, "message": text},
        common,
    )
    print(f"bench: model {model.name}, {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    results = {}
    for deployment in (ours, classic):
        print(f"measuring {deployment.name} ...", flush=True)
        results[deployment.name] = asyncio.run(measure(deployment, tmp))
    print()
    print(f"| {'measure':22} | {'ours (1 process)':>16} | {'rasa + actions':>14} | {'ours/rasa':>9} |")
    print(f"|{'-' * 24}|{'-' * 17}:|{'-' * 15}:|{'-' * 10}:|")
    for key in results["ours"]:
        a, b = results["ours"][key], results["rasa"][key]
        print(f"| {key:22} | {a:16.1f} | {b:14.1f} | {a / b:9.2f} |")
    print(f"\nlogs in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
