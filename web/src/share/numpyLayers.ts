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
    if name == "softmax":  # over the last axis: each example's, or each step's, values
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
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
        return a * (grad_a - (grad_a * a).sum(axis=-1, keepdims=True))
    return grad_a


# ---- layers: forward keeps what backward needs; backward takes delta = dL/dz
# (of the whole batch), stores the gradient d<name> of each parameter, and
# returns dL/d(input). PARAMS: each parameter's name and whether L1/L2
# regularisation applies to it (weights yes, biases no). ----

class Dense:
    """z = x W^T + b, a = f(z); reads its input flat, or with "steps" as steps
    of features, the same W and b at every step (PyTorch's Linear on (batch, steps, features))."""
    PARAMS = (("W", True), ("b", False))

    def __init__(self, spec):
        self.activation = spec["activation"]
        self.steps = spec.get("steps")
        self.W = np.zeros((spec["units"], spec["inputs"]))
        self.b = np.zeros(spec["units"])

    def forward(self, x):
        self.x = x.reshape(len(x), -1) if self.steps is None else x.reshape(len(x), self.steps, -1)
        self.z = self.x @ self.W.T + self.b
        self.a = activate(self.activation, self.z)
        return self.a

    def backward(self, delta):
        self.delta = delta
        rows, x = delta.reshape(-1, len(self.b)), self.x.reshape(-1, self.W.shape[1])
        self.dW = rows.T @ x              # dL/dW = delta * x_in, summed over the batch (and the steps)
        self.db = rows.sum(axis=0)        # dL/db = delta
        return delta @ self.W             # dL/dx = W^T delta


class Conv2D:
    """z[f] = b[f] + sum over channels and kernel positions of W[f, c, i, j] * x[c, y*s - p + i, x*s - p + j]."""
    PARAMS = (("W", True), ("b", False))

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
    PARAMS = ()

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
    PARAMS = ()

    def __init__(self, spec):
        self.activation = "linear"

    def forward(self, x):
        self.shape = x.shape
        self.z = self.a = x.reshape(len(x), -1)
        return self.a

    def backward(self, delta):
        self.delta = delta
        return delta.reshape(self.shape)


class Recurrent:
    """What RNN and LSTM share: torch's parameters (G = 1 or 4 gate blocks of H
    rows), reading (batch, steps, features) with a zero initial state, and the
    output: every step's h (batch, steps, H), or only the last step's (batch, H);
    then the layer's activation (linear in the lab: torch has none).
    Backprop through time: backward walks the steps from last to first, each
    step's dL/dh being what the output gives it plus what the next step's
    pre-activations give back through weight_hh."""
    PARAMS = (("weight_ih", True), ("weight_hh", True), ("bias_ih", False), ("bias_hh", False))
    GATES = 1

    def __init__(self, spec):
        self.activation = spec["activation"]
        self.steps, features, _ = spec["input"]
        self.hidden, self.return_sequences = spec["hidden"], spec["returnSequences"]
        rows = self.GATES * self.hidden
        self.weight_ih, self.weight_hh = np.zeros((rows, features)), np.zeros((rows, self.hidden))
        self.bias_ih, self.bias_hh = np.zeros(rows), np.zeros(rows)

    def pre(self, t, h):
        """Step t's pre-activations of every gate: x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh."""
        return self.x[:, t] @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh

    def forward(self, x):
        self.x = x.reshape(len(x), self.steps, -1)
        self.h = np.zeros((len(x), self.steps + 1, self.hidden))  # h[:, 0] is the initial state, h[:, t + 1] step t's
        self.run()
        self.z = self.h[:, 1:] if self.return_sequences else self.h[:, -1]
        self.a = activate(self.activation, self.z)
        return self.a

    def backward(self, delta):
        """delta: dL/d(output); every step's dL/dh from it, then back through time."""
        self.delta = delta
        dh_out = np.zeros((len(delta), self.steps, self.hidden))
        if self.return_sequences:
            dh_out[:] = delta
        else:
            dh_out[:, -1] = delta
        for name, _ in self.PARAMS:
            setattr(self, "d" + name, np.zeros_like(getattr(self, name)))
        dx = np.zeros_like(self.x)
        dh_next = np.zeros((len(delta), self.hidden))
        self.start_backward()
        for t in range(self.steps - 1, -1, -1):
            dpre = self.step_backward(t, dh_out[:, t] + dh_next)  # dL/d(pre-activations) of step t
            self.dweight_ih += dpre.T @ self.x[:, t]
            self.dweight_hh += dpre.T @ self.h[:, t]
            self.dbias_ih += dpre.sum(axis=0)
            self.dbias_hh += dpre.sum(axis=0)
            dx[:, t] = dpre @ self.weight_ih
            dh_next = dpre @ self.weight_hh
        return dx


class RNN(Recurrent):
    """Elman: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (PyTorch's RNN)."""

    def run(self):
        for t in range(self.steps):
            self.h[:, t + 1] = np.tanh(self.pre(t, self.h[:, t]))

    def start_backward(self):
        pass

    def step_backward(self, t, dh):
        return dh * (1.0 - self.h[:, t + 1] ** 2)  # tanh' = 1 - h^2


class LSTM(Recurrent):
    """PyTorch's LSTM: the pre-activations are the gates i, f, g, o (H rows of the
    weights each, in that order); i, f, o = sigmoid, g = tanh;
    c_t = f * c_{t-1} + i * g, h_t = o * tanh(c_t)."""
    GATES = 4

    def run(self):
        n, H = len(self.x), self.hidden
        self.c = np.zeros((n, self.steps + 1, H))
        self.gates = np.zeros((n, self.steps, 4 * H))  # after their activations
        for t in range(self.steps):
            z = self.pre(t, self.h[:, t])
            i, f, g, o = (1.0 / (1.0 + np.exp(-z[:, :H])), 1.0 / (1.0 + np.exp(-z[:, H:2 * H])),
                          np.tanh(z[:, 2 * H:3 * H]), 1.0 / (1.0 + np.exp(-z[:, 3 * H:])))
            self.gates[:, t] = np.concatenate([i, f, g, o], axis=1)
            self.c[:, t + 1] = f * self.c[:, t] + i * g
            self.h[:, t + 1] = o * np.tanh(self.c[:, t + 1])

    def start_backward(self):
        self.dc_next = np.zeros((len(self.x), self.hidden))

    def step_backward(self, t, dh):
        H = self.hidden
        i, f, g, o = (self.gates[:, t, k * H:(k + 1) * H] for k in range(4))
        tanh_c = np.tanh(self.c[:, t + 1])
        dc = dh * o * (1.0 - tanh_c ** 2) + self.dc_next  # through h_t = o tanh(c_t), and from step t + 1
        self.dc_next = dc * f
        return np.concatenate([dc * g * i * (1.0 - i),            # di, through the sigmoid
                               dc * self.c[:, t] * f * (1.0 - f),  # df
                               dc * i * (1.0 - g ** 2),            # dg, through tanh
                               dh * tanh_c * o * (1.0 - o)], axis=1)  # do


LAYER_CLASSES = {"dense": Dense, "conv2d": Conv2D, "maxpool": MaxPool, "flatten": Flatten, "rnn": RNN, "lstm": LSTM}
`;
