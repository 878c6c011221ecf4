"""`repair batch` past one machine and past folders: the Ray engine (ray_engine.py) and table datasets
(tables.py). Both need the `scale` extra (Ray, pyarrow); nothing here is imported unless asked for."""
