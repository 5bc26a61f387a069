public import Hummingbird
