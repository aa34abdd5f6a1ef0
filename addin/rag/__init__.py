from addin.rag.assess import *  # noqa: F403
