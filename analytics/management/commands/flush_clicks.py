"""Store the clicks waiting in the Redis stream now (what beat does every few seconds)."""

from __future__ import annotations

import os
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from analytics.clicks.flush import BATCH_SIZE, flush_click_stream, stream_status


class Command(BaseCommand):
    help = "Flush the click stream into the database (idempotent; one flusher at a time)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--max-seconds", type=float, default=300.0)
        parser.add_argument("--status", action="store_true", help="Only show what is waiting.")
        parser.add_argument(
            "--stream", help="Redis stream to read (default: settings.CHORUS_CLICK_STREAM)."
        )
        parser.add_argument(
            "--stop-at",
            choices=["read", "committed"],
            help="Failure drill: stop at this stage of a batch and wait to be killed.",
        )
        parser.add_argument(
            "--stop-batch", type=int, default=1, help="Which batch the drill stops in."
        )

    def handle(
        self, *args, batch_size, max_seconds, status, stop_at, stop_batch, stream, **options
    ):
        if stream:
            settings.CHORUS_CLICK_STREAM = stream
        if status:
            self.stdout.write(" ".join(f"{key}={value}" for key, value in stream_status().items()))
            return

        def on_stage(stage: str, batch_number: int) -> None:
            if stage == stop_at and batch_number == stop_batch:
                sys.stdout.write(
                    f"drill: stopped at {stage} of batch {batch_number} (pid {os.getpid()})\n"
                )
                sys.stdout.flush()
                while True:  # until killed
                    time.sleep(1)

        started = time.perf_counter()
        stored = flush_click_stream(
            batch_size=batch_size, max_seconds=max_seconds, on_stage=on_stage if stop_at else None
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"stored {stored} clicks in {elapsed:.3f} s")
