// The NumPy script's layer kinds (share/numpyExport.ts): the activations and
// each kind's forward and backward, written out from scratch. The same text
// in every exported script; a new layer kind adds its class here.

export const NUMPY_LAYERS_PY = `# ---- activations: a = f(z), and dL/dz = dL/da * f'(z) ----

def activate(name, z):
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return z  # linear


def activation_backward(name, z, a, grad_a):
    """dL/dz from dL/da through the chain rule."""
    if name == "relu":
        return grad_a * (z > 0)
    if name == "leaky_relu":
        return grad_a * np.where(z > 0, 1.0, 0.01)
    if name == "tanh":
        return grad_a * (1.0 - a * a)
    if name == "sigmoid":
        return grad_a * a * (1.0 - a)
    if name == "softmax":  # the Jacobian of softmax times grad_a
        return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))
    return grad_a


# ---- layers: forward keeps what backward needs; backward takes delta = dL/dz
# (of the whole batch), stores dW and db, and returns dL/d(input) ----

class Dense:
    """z = x W^T + b, a = f(z); reads its input flat."""

    def __init__(self, spec):
        self.activation = spec["activation"]
        self.W = np.zeros((spec["units"], spec["inputs"]))
        self.b = np.zeros(spec["units"])

    def forward(self, x):
        self.x = x.reshape(len(x), -1)
        self.z = self.x @ self.W.T + self.b
        self.a = activate(self.activation, self.z)
        return self.a

    def backward(self, delta):
        self.delta = delta
        self.dW = delta.T @ self.x        # dL/dW = delta * x_in, summed over the batch
        self.db = delta.sum(axis=0)       # dL/db = delta
        return delta @ self.W             # dL/dx = W^T delta


class Conv2D:
    """z[f] = b[f] + sum over channels and kernel positions of W[f, c, i, j] * x[c, y*s - p + i, x*s - p + j]."""

    def __init__(self, spec):
        self.activation = spec["activation"]
        self.c, self.h, self.w = spec["input"]
        self.k, self.s, self.p = spec["kernel"], spec["stride"], spec["padding"]
        self.oh = (self.h + 2 * self.p - self.k) // self.s + 1
        self.ow = (self.w + 2 * self.p - self.k) // self.s + 1
        self.W = np.zeros((spec["filters"], self.c, self.k, self.k))
        self.b = np.zeros(spec["filters"])

    def window(self, i, j):
        """The input positions kernel offset (i, j) meets, over all outputs."""
        return (slice(None), slice(None), slice(i, i + self.s * (self.oh - 1) + 1, self.s), slice(j, j + self.s * (self.ow - 1) + 1, self.s))

    def forward(self, x):
        p = self.p
        self.xp = np.pad(x.reshape(len(x), self.c, self.h, self.w), ((0, 0), (0, 0), (p, p), (p, p)))
        self.z = np.zeros((len(x), len(self.b), self.oh, self.ow)) + self.b[None, :, None, None]
        for i in range(self.k):
            for j in range(self.k):
                self.z += np.einsum("nchw,fc->nfhw", self.xp[self.window(i, j)], self.W[:, :, i, j])
        self.a = activate(self.activation, self.z)
        return self.a

    def backward(self, delta):
        self.delta = delta
        self.dW = np.zeros_like(self.W)
        dxp = np.zeros_like(self.xp)
        for i in range(self.k):
            for j in range(self.k):
                self.dW[:, :, i, j] = np.einsum("nfhw,nchw->fc", delta, self.xp[self.window(i, j)])
                dxp[self.window(i, j)] += np.einsum("nfhw,fc->nchw", delta, self.W[:, :, i, j])
        self.db = delta.sum(axis=(0, 2, 3))
        return dxp[:, :, self.p:self.p + self.h, self.p:self.p + self.w]


class MaxPool:
    """Each output is the largest value of its k x k window; the gradient goes to that one input (the first, on ties)."""

    def __init__(self, spec):
        self.activation = "linear"
        self.c, self.h, self.w = spec["input"]
        self.k, self.s = spec["kernel"], spec["stride"]
        self.oh = (self.h - self.k) // self.s + 1
        self.ow = (self.w - self.k) // self.s + 1

    def window(self, i, j):
        return (slice(None), slice(None), slice(i, i + self.s * (self.oh - 1) + 1, self.s), slice(j, j + self.s * (self.ow - 1) + 1, self.s))

    def forward(self, x):
        self.x = x.reshape(len(x), self.c, self.h, self.w)
        self.z = np.full((len(x), self.c, self.oh, self.ow), -np.inf)
        self.which = np.zeros(self.z.shape, dtype=int)
        for i in range(self.k):
            for j in range(self.k):
                v = self.x[self.window(i, j)]
                larger = v > self.z
                self.z = np.where(larger, v, self.z)
                self.which = np.where(larger, i * self.k + j, self.which)
        self.a = self.z
        return self.a

    def backward(self, delta):
        self.delta = delta
        dx = np.zeros_like(self.x)
        for i in range(self.k):
            for j in range(self.k):
                dx[self.window(i, j)] += delta * (self.which == i * self.k + j)
        return dx


class Flatten:
    """c x h x w -> c*h*w, no parameters."""

    def __init__(self, spec):
        self.activation = "linear"

    def forward(self, x):
        self.shape = x.shape
        self.z = self.a = x.reshape(len(x), -1)
        return self.a

    def backward(self, delta):
        self.delta = delta
        return delta.reshape(self.shape)


LAYER_CLASSES = {"dense": Dense, "conv2d": Conv2D, "maxpool": MaxPool, "flatten": Flatten}
`;
