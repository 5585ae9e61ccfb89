"""asa2render's benchmark suite: ``python -m benchmarks.run --quick|--full`` (see BENCHMARKS.md).

Every figure is a ratio against a baseline measured in the same run, because benchmark machines are
shared and noisy. Modules: ``sites`` (seeded synthetic documents and sites), ``measure`` (timing and
the figure record), one module per figure family (``scanner``, ``rendering``, ``fetching``, ``scale``,
``startup``) and ``run`` (the runner).
"""
