// The train mode of the exported PyTorch script (pytorchExport.ts puts it
// after the model): Python source, the same for every lab; the lab's data,
// settings and checkpoint fields are constants the exporter writes above it.
// The batch order ports web/src/lib/rng.js (mulberry32) and the labs'
// shuffles bit for bit; tests/node/pytorch-train.test.mjs checks the losses
// (and MNIST's scheduled rates) against the page's own session code on the
// real engine; tests/node/pytorch-rnn-export.test.mjs the recurrent networks'
// (the user's sequences from a file, clipping) against the engine's steps.

import { SCHEDULE_PY } from './training';

export const TRAIN_CODE = String.raw`# ---- train mode: the page's training, continued in PyTorch ----
# The same data set, loss, optimizer with its settings, batch size and seeded
# batch order as the page, starting from the weights above. The optimizer's
# state (momentum buffer, Adam's moments) is not exported: it starts fresh,
# as on the page after loading a saved model.


class Mulberry32:
    """The page's seeded generator (web/src/lib/rng.js), bit for bit."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296.0

    def below(self, n):
        """An integer in [0, n) (the page's randomInt)."""
        return int(self.next() * n)


def shuffle_in_place(order, rng):
    """Fisher-Yates, as the page's shuffleInPlace."""
    for i in range(len(order) - 1, 0, -1):
        j = rng.below(i + 1)
        order[i], order[j] = order[j], order[i]


def shuffle_seed(seed):
    """The seed of the batch order, derived from the model's seed as every lab does."""
    return (seed ^ 0x9E3779B9) & 0xFFFFFFFF


def floats(text):
    raw = base64.b64decode(text)
    return torch.tensor(struct.unpack("<%df" % (len(raw) // 4), raw), dtype=torch.float32)


class TrainingSet:
    """Inputs (float32, or MNIST's pixel bytes scaled per batch as the page does) and targets [n x outputs]."""

    def __init__(self, inputs, targets, scale=None):
        self.inputs, self.targets, self.scale = inputs, targets, scale
        self.n = len(targets)

    def batch(self, rows):
        index = torch.tensor(rows, dtype=torch.long)
        x = self.inputs[index]
        if self.scale is not None:
            x = x.float() * self.scale
        return x, self.targets[index]


def read_file(path):
    with open(path, "rb") as f:
        raw = f.read()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def idx_bytes(raw, dims, path):
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != 0x800 + dims:
        raise SystemExit("%s is not an IDX file of %d dimension(s)" % (path, dims))
    shape = struct.unpack(">%dI" % dims, raw[4:4 + 4 * dims])
    data = torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8)
    return data.view(shape[0], -1) if dims > 1 else data


def read_mnist(path):
    """MNIST's training digits (bytes [n x 784]) and labels, from a folder with
    the IDX files train-images-idx3-ubyte and train-labels-idx1-ubyte (gzipped
    or not), or from the page's asset file (generated/mnist.<hash>.gz.bin)."""
    if os.path.isdir(path):
        def find(name):
            for candidate in (name, name + ".gz"):
                full = os.path.join(path, candidate)
                if os.path.exists(full):
                    return idx_bytes(read_file(full), 3 if "images" in name else 1, full)
            raise SystemExit("%s holds no %s (or %s.gz)" % (path, name, name))
        return find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte")
    raw = read_file(path)
    if raw[:4] != b"MNST":
        raise SystemExit("%s is neither a folder of IDX files nor the page's MNIST asset" % path)
    _, _, n_train, _, rows, cols, _, _ = struct.unpack("<8I", raw[:32])
    pixels = rows * cols
    images = torch.frombuffer(bytearray(raw[32:32 + n_train * pixels]), dtype=torch.uint8).view(n_train, pixels)
    labels = torch.frombuffer(bytearray(raw[32 + n_train * pixels:32 + n_train * (pixels + 1)]), dtype=torch.uint8)
    return images, labels


def read_array(path, key):
    """An array (float64 tensor) from a .npy, from entry key of a .npz, or from a
    .json list (or entry key of a .json object)."""
    try:
        if path.endswith(".json"):
            with open(path) as f:
                data = json.load(f)
            if isinstance(data, dict):
                if key not in data:
                    raise SystemExit("%s holds no %r" % (path, key))
                data = data[key]
            return torch.tensor(data, dtype=torch.float64)
        import numpy as np
        data = np.load(path, allow_pickle=False)
        if isinstance(data, np.lib.npyio.NpzFile):
            if key not in data.files:
                raise SystemExit("%s holds no %r (it has %s)" % (path, key, ", ".join(data.files)))
            data = data[key]
        return torch.from_numpy(np.asarray(data, dtype=np.float64))
    except (OSError, ValueError, TypeError) as err:
        raise SystemExit("%s: cannot read %s as numbers (%s)" % (path, key, err))


def sequence_set(args):
    """The user's sequences: x [N, STEPS, FEATURES_PER_STEP] and y [N, OUTPUTS] in any
    shape of that size, or for cross-entropy class indices, one per output step."""
    if args.data:
        x, y = read_array(args.data, "x"), read_array(args.data, "y")
    elif args.x and args.y:
        x, y = read_array(args.x, "x"), read_array(args.y, "y")
    else:
        raise SystemExit("train needs the sequences: --data DATA.json|DATA.npz (x and y) or --x X --y Y")
    n = len(x) if x.dim() > 0 else 0
    if x.dim() == 0 or x.numel() != n * STEPS * FEATURES_PER_STEP:
        raise SystemExit("x must be N sequences of %d steps of %d value(s); its shape is %s" % (STEPS, FEATURES_PER_STEP, list(x.shape)))
    if y.dim() == 0 or len(y) != n or y.numel() % max(n, 1) != 0:
        raise SystemExit("y must have one row per sequence of x (%d); its shape is %s" % (n, list(y.shape)))
    y = y.reshape(n, -1)
    if LOSS == "ce" and y.shape[1] == OUTPUT_STEPS and OUTPUTS > OUTPUT_STEPS:
        classes = OUTPUTS // OUTPUT_STEPS
        if not bool(((y == y.round()) & (y >= 0) & (y < classes)).all()):
            raise SystemExit("y as class indices must be whole numbers 0..%d" % (classes - 1))
        y = torch.nn.functional.one_hot(y.long(), classes).reshape(n, -1).double()
    if y.shape[1] != OUTPUTS:
        raise SystemExit("y must hold %d output value(s) per sequence (or class indices); it holds %d" % (OUTPUTS, y.shape[1]))
    if not (bool(torch.isfinite(x).all()) and bool(torch.isfinite(y).all())):
        raise SystemExit("x and y must be finite numbers (no NaN or infinity)")
    return TrainingSet(x.reshape(n, -1).float(), y.float())


def training_set(args):
    if "STEPS" in globals():
        return sequence_set(args)
    if LAB == "mnist":
        images, labels = read_mnist(args.mnist)
        targets = torch.nn.functional.one_hot(labels.long(), 10).float()
        return TrainingSet(images, targets, PIXEL_SCALE)
    if TRAIN_POINTS_BASE64 is None:
        raise SystemExit("this script was exported without its training set")
    points = floats(TRAIN_POINTS_BASE64).view(-1, 2)
    return TrainingSet(features(points), floats(TRAIN_TARGETS_BASE64).view(len(points), -1))


def shift_batch(x, shift, rng):
    """MNIST's augmentation (trainer.js shiftBatch): each digit, in order, moved
    by dx then dy drawn in -shift..shift, the rest blank."""
    x = x.clone().view(-1, HEIGHT, WIDTH)
    for r in range(len(x)):
        dx = rng.below(2 * shift + 1) - shift
        dy = rng.below(2 * shift + 1) - shift
        if dx == 0 and dy == 0:
            continue
        moved = torch.zeros(HEIGHT, WIDTH)
        moved[max(0, dy):min(HEIGHT, HEIGHT + dy), max(0, dx):min(WIDTH, WIDTH + dx)] = \
            x[r, max(0, -dy):min(HEIGHT, HEIGHT - dy), max(0, -dx):min(WIDTH, WIDTH - dx)]
        x[r] = moved
    return x.view(-1, HEIGHT * WIDTH)


${SCHEDULE_PY}


def step_rate(epochs_done):
    """The learning rate of the next step: MNIST's schedule, else the constant lr."""
    schedule = TRAINING.get("schedule")
    return TRAINING["lr"] if schedule is None else scheduled_rate(schedule, epochs_done)


def make_optimizer(parameters):
    """The page's optimizer with its settings: the one place to change them
    (train() sets each step's rate from step_rate, as the page does)."""
    t = TRAINING
    if t["optimizer"] == "sgd":
        return torch.optim.SGD(parameters, lr=t["lr"])
    if t["optimizer"] == "momentum":
        return torch.optim.SGD(parameters, lr=t["lr"], momentum=t["beta1"])
    return torch.optim.Adam(parameters, lr=t["lr"], betas=(t["beta1"], t["beta2"]), eps=t["eps"])


def regularize(net):
    """L1/L2 on the weights (not the biases), added to the gradient as the page does."""
    kind, rate = TRAINING["regularization"], TRAINING["reg_rate"]
    if kind == "none":
        return
    with torch.no_grad():
        for index, name, _, _ in PARAM_BLOCKS:
            if name.startswith("weight"):  # weight, or a recurrent layer's weight_ih_l0 / weight_hh_l0
                w = getattr(net[index], name)
                w.grad += rate * w if kind == "l2" else rate * torch.sign(w)


def clip(net):
    """Gradient clipping by global norm, as the page's engine clips (0: off)."""
    if TRAINING.get("clip_norm", 0) > 0:
        torch.nn.utils.clip_grad_norm_(net.parameters(), TRAINING["clip_norm"])


def loss_sum(out, y):
    """The batch's summed loss (the page's mean times loss_divisor): MSE on the
    output, BCE and cross-entropy on the logits (the fused forms the page uses);
    a per-step output's cross-entropy is each step's, over its own classes."""
    if LOSS == "ce":
        classes = OUTPUTS // OUTPUT_STEPS
        return torch.nn.functional.cross_entropy(out.reshape(-1, classes), y.reshape(-1, classes), reduction="sum")
    out = out.reshape(y.shape)
    if LOSS == "mse":
        return ((out - y) ** 2).sum()
    return torch.nn.functional.binary_cross_entropy_with_logits(out, y, reduction="sum")


def loss_divisor(rows, cols):
    """The mean's count: examples x steps for cross-entropy, every value for MSE and BCE."""
    return rows * OUTPUT_STEPS if LOSS == "ce" else rows * cols


def save_checkpoint(path, net, epochs):
    """The weights as the page's model file (format 2): Load model takes it back."""
    blocks = sorted(PARAM_BLOCKS, key=lambda b: b[2])
    values = torch.cat([getattr(net[index], name).detach().cpu().float().reshape(-1) for index, name, _, _ in blocks])
    raw = struct.pack("<%df" % values.numel(), *values.tolist())
    doc = {"magic": MODEL_MAGIC, "formatVersion": MODEL_FORMAT_VERSION, "lab": LAB, "config": CONFIG,
           "layers": LAYERS, "loss": LOSS, "epoch": EXPORTED_EPOCH + epochs,
           "params": base64.b64encode(raw).decode("ascii")}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def train(rank, world, args, init_method=None, local_rank=None):
    """One process of the run (the only one without --workers). Every process
    draws the same global batches; process r trains rows [B*r/W, B*(r+1)/W) of
    each, and its loss is scaled so DistributedDataParallel's average of the
    gradients is the gradient of the whole batch's mean loss."""
    data = training_set(args)
    if data.n == 0:
        raise SystemExit("the training set is empty" + ("" if "STEPS" in globals() else " (draw some points on the page first)"))
    use_cuda = torch.cuda.is_available() and not args.cpu
    device = torch.device("cuda", rank if local_rank is None else local_rank) if use_cuda else torch.device("cpu")
    if world > 1:
        if not use_cuda:
            torch.set_num_threads(max(1, (os.cpu_count() or 1) // world))
        torch.distributed.init_process_group("nccl" if use_cuda else "gloo", init_method=init_method, rank=rank, world_size=world)
    net = model.to(device)
    net.train()
    body = net[:-1] if LOSS in ("bce", "ce") else net  # the logits: bce and ce are computed from them
    if world > 1:
        body = torch.nn.parallel.DistributedDataParallel(body, device_ids=[device.index] if use_cuda else None)
    optimizer = make_optimizer(net.parameters())
    t = TRAINING
    batch_size, n = t["batch_size"], data.n
    steps_per_epoch = (n + batch_size - 1) // batch_size
    total = args.steps if args.steps > 0 else args.epochs * steps_per_epoch
    rng = Mulberry32(shuffle_seed(t["seed"]))
    shift_rng = Mulberry32((t["seed"] ^ 0x5A1F7) & 0xFFFFFFFF)
    order = list(range(n))
    step, epoch, losses = 0, 0, []
    while step < total:
        if t["order"] == "epoch-permutation":
            order = list(range(n))  # a fresh permutation each epoch (the playground)
        shuffle_in_place(order, rng)  # else the last epoch's order shuffled again (MNIST)
        for start in range(0, n, batch_size):
            if step >= total:
                break
            rows = order[start:start + batch_size]
            x, y = data.batch(rows)
            if t["shift"] > 0:
                x = shift_batch(x, t["shift"], shift_rng)
            lo, hi = len(rows) * rank // world, len(rows) * (rank + 1) // world
            x, y = x[lo:hi].to(device), y[lo:hi].to(device)
            divisor = loss_divisor(len(rows), y.shape[1])
            rate = step_rate(epoch + start / n)  # epochs done before this batch, as trainer.js counts
            for group in optimizer.param_groups:
                group["lr"] = rate
            optimizer.zero_grad()
            summed = loss_sum(body(x), y)
            (summed * (world / divisor)).backward()
            regularize(net)
            clip(net)
            optimizer.step()
            loss = (summed.detach() / divisor).reshape(1)
            if world > 1:
                torch.distributed.all_reduce(loss)
            step += 1
            losses.append(float(loss))
            if rank == 0:
                print(json.dumps({"step": step, "epoch": epoch + 1, "loss": losses[-1], "lr": rate}), flush=True)
        else:
            epoch += 1
            if rank == 0:
                print(json.dumps({"epoch": epoch, "mean_loss": sum(losses) / len(losses)}), flush=True)
            losses = []
    if rank == 0 and args.out:
        save_checkpoint(args.out, net, step / steps_per_epoch)
    if world > 1:
        torch.distributed.destroy_process_group()
    return 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train_main(argv):
    import argparse
    if TRAINING is None:
        raise SystemExit("this script was exported without training settings: it only predicts")
    parser = argparse.ArgumentParser(prog="model.py train", description="Continue the page's training in PyTorch.")
    parser.add_argument("--steps", type=int, default=0, help="stop after this many batches")
    parser.add_argument("--epochs", type=int, default=TRAINING["epochs"], help="epochs to train (default %(default)s)")
    parser.add_argument("--out", help="save the weights here as the page's model file (Load model)")
    parser.add_argument("--mnist", help="MNIST: a folder with the IDX files (gzipped or not) or the page's generated/mnist.<hash>.gz.bin")
    parser.add_argument("--data", help="sequences: a .json {\"x\": ..., \"y\": ...} or a .npz with arrays x and y")
    parser.add_argument("--x", help="sequences: x [N, steps, features] (.npy or .json), with --y")
    parser.add_argument("--y", help="sequences: the targets of x (.npy or .json), with --x")
    parser.add_argument("--workers", type=int, default=0, help="data-parallel processes on this machine (DistributedDataParallel)")
    parser.add_argument("--cpu", action="store_true", help="train on the CPU even when a GPU is present")
    args = parser.parse_args(argv)
    if LAB == "mnist" and not args.mnist:
        parser.error("--mnist PATH is required: the IDX files or the page's asset")
    if "STEPS" in globals() and not (args.data or (args.x and args.y)):
        parser.error("the sequences are required: --data DATA.json|DATA.npz (x and y) or --x X --y Y")
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if args.workers == 0 and world > 1:
        # a cluster launcher (torchrun, SLURM): RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
        rank = int(os.environ["RANK"])
        return train(rank, world, args, "env://", int(os.environ.get("LOCAL_RANK", "0")))
    if args.workers > 1:
        port = free_port()
        torch.multiprocessing.spawn(train, args=(args.workers, args, "tcp://127.0.0.1:%d" % port), nprocs=args.workers, join=True)
        return 0
    return train(0, 1, args)
`;
