"""The site build: `build.build_site(config, BuildOptions(...))`; features join it as contributors (plan.py)."""
