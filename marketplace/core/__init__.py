"""The kernel: infrastructure every app may import (errors, settings helpers, encryption, streaming and
exports, event delivery, ids, client addresses, the API's plumbing). It imports no app of the product."""
