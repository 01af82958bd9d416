"""linesim: simulate laptop SMT and final-assembly lines and test what published throughput
claims imply. `python -m sim run scenarios/wistron.yaml` is the main job."""

__version__ = "0.1.0"
