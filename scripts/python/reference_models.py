"""The bench's timed models in TensorFlow (Keras) and, if installed, PyTorch: the same layers,
batch, thread count and optimizer (Adam), trained on random inputs; steps timed after warm-up.
With --eval, forward passes in inference mode (dropout off, no gradients) instead; with
--precision bf16, Keras's mixed_bfloat16 policy (TensorFlow only).
Prints one JSON line per framework and model: {"framework", "model", "examples_per_sec": [...]}.
LasagneCAE's transposed convolutions have their own weights here (Keras has no tied layer);
the arithmetic is the same. Models take their natural input (28x28x1; CifarCNN and DTB's VGGs
CIFAR's 32x32x3); `StandardCNN@64` is StandardCNN on 64x64 grey images."""
import argparse
import json
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--framework", choices=["tensorflow", "pytorch"], required=True)
parser.add_argument("--models", default="SingleLayerCAE,LasagneCAE,StandardCNN,ModifiedCNN")
parser.add_argument("--batch_size", type=int, default=128)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--warmup", type=int, default=5)
parser.add_argument("--steps", type=int, default=20)
parser.add_argument("--repetitions", type=int, default=5)
parser.add_argument("--eval", action="store_true", help="time forward passes in inference mode instead of training")
parser.add_argument("--precision", choices=["float32", "bf16"], default="float32")
args = parser.parse_args()
models = args.models.split(",")
VGG_BLOCKS = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]


def shape(name):
    """(height, width, channels) of the model's input."""
    if "@" in name:
        side = int(name.split("@")[1])
        return (side, side, 1)
    return (32, 32, 3) if name.startswith("VGG") or name == "CifarCNN" else (28, 28, 1)


def timed(step):
    for _ in range(args.warmup):
        step()
    rates = []
    for _ in range(args.repetitions):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        rates.append(args.steps * args.batch_size / (time.perf_counter() - start))
    return rates


def tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    if args.precision == "bf16":
        tf.keras.mixed_precision.set_global_policy("mixed_bfloat16")
    L = tf.keras.layers

    def hidden(h, batch_norm):
        """A hidden layer's activation: relu, after batch normalization in the BN variants."""
        if batch_norm:
            h = L.BatchNormalization(momentum=0.9, epsilon=1e-3)(h)
        return L.ReLU()(h)

    def build(name):
        """The model's output, and for StackedCAE the stages' reconstructions and targets."""
        x = tf.keras.Input(shape(name))
        if name in ("LeNet", "LeNetBN", "CifarCNN"):
            bn = name == "LeNetBN"
            h = L.MaxPooling2D(2)(hidden(L.Conv2D(32, 5, padding="same", kernel_initializer="he_normal")(x), bn))
            h = L.MaxPooling2D(2)(hidden(L.Conv2D(64, 5, padding="same", kernel_initializer="he_normal")(h), bn))
            h = hidden(L.Dense(1024, kernel_initializer="he_normal")(L.Flatten()(h)), bn)
            if name == "CifarCNN":
                h = L.Dropout(0.5)(h)
            y = L.Dense(10, kernel_initializer="he_normal")(h)
        elif name in ("VGG", "VGGBN"):
            bn = name == "VGGBN"
            h = x
            for block in VGG_BLOCKS:
                for width in block:
                    h = hidden(L.Conv2D(width, 3, padding="same", kernel_initializer="he_normal")(h), bn)
                h = L.MaxPooling2D(2)(h)
            h = hidden(L.Dense(512, kernel_initializer="he_normal")(L.Flatten()(h)), bn)
            y = L.Dense(10, kernel_initializer="he_normal")(h)
        elif name == "NarrowCAE":
            h = L.MaxPooling2D(2)(L.Conv2D(32, 7)(x))
            h = L.Dense(64, activation="relu")(L.Flatten()(h))
            h = L.Reshape((17, 17, 32))(L.Dense(17 * 17 * 32, activation="relu")(h))
            y = L.Conv2D(1, 7)(L.UpSampling2D(2)(h))
        elif name == "StackedCAE":
            # Nine stages; each reconstructs its own input, which the previous stage's output is
            # with the gradient stopped.
            stage_input, outputs = x, []
            for k in range(9):
                if k > 0:
                    stage_input = L.Lambda(tf.stop_gradient)(outputs[-1])
                h = L.Conv2D(9, 3, activation="tanh", kernel_initializer="he_normal")(L.ZeroPadding2D(2)(stage_input))
                h = L.Conv2D(1, 3, activation="tanh", kernel_initializer="he_normal")(L.Dropout(0.5)(h))
                outputs.append(h)
            y = L.Concatenate()(outputs)
        elif name == "SingleLayerCAE":
            h = L.ZeroPadding2D(2)(x)
            h = L.Conv2D(32, 3, activation="tanh", kernel_initializer="he_normal")(h)
            y = L.Conv2D(1, 3, activation="tanh", kernel_initializer="he_normal")(h)
        elif name == "LasagneCAE":
            h = L.MaxPooling2D(2)(L.Conv2D(32, 5, activation="tanh")(x))
            h = L.MaxPooling2D(2)(L.Conv2D(32, 5, activation="tanh")(h))
            h = L.Dense(256, activation="tanh")(L.Dropout(0.5)(L.Flatten()(h)))
            h = L.Reshape((4, 4, 32))(L.Dense(512, activation="tanh")(L.Dropout(0.5)(h)))
            h = L.Conv2DTranspose(32, 5, activation="relu")(L.UpSampling2D(2)(h))
            y = L.Conv2DTranspose(1, 5, activation="relu")(L.UpSampling2D(2)(h))
        else:  # StandardCNN and ModifiedCNN, at any side
            h = L.MaxPooling2D(2)(L.Conv2D(32, 5, activation="relu")(x))
            h = L.MaxPooling2D(2)(L.Conv2D(32, 5, activation="relu")(h))
            h = L.Dense(256, activation="relu")(L.Dropout(0.5)(L.Flatten()(h)))
            if name == "ModifiedCNN":
                b = L.Flatten()(L.MaxPooling2D(5)(L.Conv2D(32, 10, activation="relu")(x)))
                h = L.Concatenate()([h, b])
            y = L.Dense(10)(L.Dropout(0.5)(h))
        return tf.keras.Model(x, y)

    for name in models:
        model = build(name)
        optimizer = tf.keras.optimizers.Adam(1e-3)
        x = tf.random.uniform((args.batch_size,) + shape(name))
        stages = 9 if name == "StackedCAE" else 1
        labels = tf.random.uniform((args.batch_size,), maxval=10, dtype=tf.int32)
        autoencoder = name.endswith("CAE")

        @tf.function
        def step():
            with tf.GradientTape() as tape:
                # Losses in float32, as Keras's mixed precision guide has them.
                out = tf.cast(model(x, training=True), tf.float32)
                if stages > 1:
                    targets = tf.concat([x] + [tf.stop_gradient(out[..., k:k + 1]) for k in range(stages - 1)], -1)
                    loss = tf.reduce_sum(tf.reduce_mean(tf.square(out - targets), [0, 1, 2])) / 2
                elif autoencoder:
                    loss = tf.reduce_mean(tf.square(out - x)) / 2
                else:
                    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=out))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        @tf.function
        def forward():
            return model(x, training=False)

        rates = timed(lambda: forward().numpy()) if args.eval else timed(lambda: step().numpy())
        print(json.dumps({"framework": "tensorflow", "model": name, "examples_per_sec": rates}), flush=True)


def pytorch():
    import torch
    import torch.nn as nn
    torch.set_num_threads(args.threads)

    def build(name):
        if name not in ("LeNet", "VGGBN", "SingleLayerCAE", "LasagneCAE", "StandardCNN", "ModifiedCNN"):
            sys.exit(f"reference_models: no PyTorch version of {name}")
        if name == "LeNet":
            return nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                 nn.Linear(3136, 1024), nn.ReLU(), nn.Linear(1024, 10))
        if name == "VGGBN":
            layers, channels = [], 3
            for block in VGG_BLOCKS:
                for width in block:
                    layers += [nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width, eps=1e-3, momentum=0.1),
                               nn.ReLU()]
                    channels = width
                layers.append(nn.MaxPool2d(2))
            return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512, 512),
                                 nn.BatchNorm1d(512, eps=1e-3, momentum=0.1),
                                 nn.ReLU(), nn.Linear(512, 10))
        if name == "SingleLayerCAE":
            return nn.Sequential(nn.ZeroPad2d(2), nn.Conv2d(1, 32, 3), nn.Tanh(), nn.Conv2d(32, 1, 3), nn.Tanh())
        if name == "LasagneCAE":
            return nn.Sequential(nn.Conv2d(1, 32, 5), nn.Tanh(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 5), nn.Tanh(),
                                 nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(512, 256), nn.Tanh(),
                                 nn.Dropout(0.5), nn.Linear(256, 512), nn.Tanh(), nn.Unflatten(1, (32, 4, 4)),
                                 nn.Upsample(scale_factor=2), nn.ConvTranspose2d(32, 32, 5),
                                 nn.ReLU(), nn.Upsample(scale_factor=2), nn.ConvTranspose2d(32, 1, 5), nn.ReLU())
        trunk = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 5), nn.ReLU(),
                              nn.MaxPool2d(2),
                              nn.Flatten(), nn.Dropout(0.5), nn.Linear(512, 256), nn.ReLU())
        if name == "StandardCNN":
            return nn.Sequential(trunk, nn.Dropout(0.5), nn.Linear(256, 10))

        class Modified(nn.Module):
            def __init__(self):
                super().__init__()
                self.trunk = trunk
                self.branch = nn.Sequential(nn.Conv2d(1, 32, 10), nn.ReLU(), nn.MaxPool2d(5), nn.Flatten())
                self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(544, 10))

            def forward(self, x):
                return self.head(torch.cat([self.trunk(x), self.branch(x)], 1))
        return Modified()

    for name in models:
        model = build(name)
        optimizer = torch.optim.Adam(model.parameters(), 1e-3)
        height, width, channels = shape(name)
        x = torch.rand(args.batch_size, channels, height, width)
        labels = torch.randint(0, 10, (args.batch_size,))
        autoencoder = name.endswith("CAE")

        def step():
            optimizer.zero_grad()
            out = model(x)
            loss = ((out - x) ** 2).mean() / 2 if autoencoder else nn.functional.cross_entropy(out, labels)
            loss.backward()
            optimizer.step()

        def forward():
            with torch.no_grad():
                model(x)

        if args.eval:
            model.eval()
        rates = timed(forward if args.eval else step)
        print(json.dumps({"framework": "pytorch", "model": name, "examples_per_sec": rates}), flush=True)


tensorflow() if args.framework == "tensorflow" else pytorch()
