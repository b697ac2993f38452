"""How long small-cell suppression takes on a program-sized table (1,000 groups x 12 waves).

Run: PYTHONPATH=. python benchmarks/suppression.py
"""

import random
import time

from acompana.domain.instruments.suppression import CountTable, suppress


def main() -> None:
    rng = random.Random(7)
    # Groups of about 10 Acompañantes answering each wave, a few waves with low turnout.
    for groups, waves in ((9, 12), (100, 12), (1000, 12)):
        counts = tuple(
            tuple(
                rng.choice((2, 3)) if rng.random() < 0.05 else rng.randint(6, 12)
                for _ in range(waves)
            )
            for _ in range(groups)
        )
        table = CountTable(
            tuple(f"g{i}" for i in range(groups)), tuple(f"w{j}" for j in range(waves)), counts
        )
        start = time.perf_counter()
        released = suppress(table)
        seconds = time.perf_counter() - start
        print(
            f"{groups:>5} groups x {waves} waves: {seconds:6.2f} s, "
            f"{len(released.primary)} primary, {len(released.complementary)} complementary"
        )


if __name__ == "__main__":
    main()
