"Where the initial data comes from: the demo shop, a dict, or a JSON file."
import copy
import json
import os


def load_seed(seed):
    "None -> demo.demo_seed(); a dict (copied); a path to a JSON file"
    if seed is None:
        from . import demo  # written alongside; imported only when needed
        return demo.demo_seed()
    if isinstance(seed, dict):
        return copy.deepcopy(seed)
    if isinstance(seed, (str, os.PathLike)):
        with open(seed, encoding='utf-8') as file:
            return json.load(file)
    raise TypeError(f'seed must be None, a dict or a path, not {type(seed).__name__}')
