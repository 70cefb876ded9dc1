#!/usr/bin/python3
"""Reference outputs for ctx4j's clip-djl tests, computed independently of the Java code.

Run from the repository root with Debian's Python (torch 1.13, numpy, python3-regex):

    /usr/bin/python3 clip-djl/src/test/resources/reference/clip_reference.py \
        [--vocab ../shared/data/clip-vocab]

For every model directory beside this script (tiny-*/, written by TinyClipModels with a fixed seed)
it parses model.safetensors with numpy (no safetensors package), builds CLIP's forward from torch's
own layers (nn.Conv2d, nn.MultiheadAttention, nn.LayerNorm, nn.Linear) in float64, and writes
<model>/reference.json: token ids, pooled outputs and normalised embeddings of fixed texts (each
text run alone, unpadded; pooled at argmax(input_ids) as HF CLIPTextTransformer does) and of the
images in <model>/images.f32 (float32 NCHW, little-endian, generated here from a fixed seed).

With --vocab it also writes tokenizer_golden.json: token ids of a few hundred Visual Genome-like
phrases under the real CLIP vocabulary, by a tokenizer written after OpenAI CLIP's
simple_tokenizer.py. OpenAI cleans text with ftfy.fix_text, which Debian does not package; when
ftfy is absent, fix_text_standin() below does the part of it that affects well-formed text (NFC,
straight quotes, Latin ligatures, full-width ASCII). The golden file records which one ran.
"""

import argparse
import gzip  # noqa: F401  (kept for readers who point --vocab at OpenAI's .txt.gz layout)
import html
import json
import os
import random
import struct
import sys
import unicodedata

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import regex
except ImportError:
    sys.exit("needs the 'regex' module: apt-get install python3-regex")

try:
    import ftfy  # type: ignore

    HAVE_FTFY = True
except ImportError:
    HAVE_FTFY = False

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_default_dtype(torch.float64)

# ----------------------------------------------------------------------------- safetensors


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin : base + end]
        dtype = info["dtype"]
        if dtype == "F32":
            arr = np.frombuffer(raw, "<f4").astype(np.float64)
        elif dtype == "F16":
            arr = np.frombuffer(raw, "<f2").astype(np.float64)
        elif dtype == "BF16":
            arr = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
            arr = arr.astype(np.float64)
        elif dtype == "I64":
            arr = np.frombuffer(raw, "<i8")
        else:
            raise ValueError(f"{name}: unsupported dtype {dtype}")
        tensors[name] = torch.from_numpy(arr.reshape(info["shape"]).copy())
    return tensors


# ----------------------------------------------------------------------------- model


def activation(name):
    if name == "quick_gelu":
        return lambda x: x * torch.sigmoid(1.702 * x)
    if name == "gelu":
        return F.gelu
    if name in ("gelu_new", "gelu_pytorch_tanh"):
        return lambda x: F.gelu(x, approximate="tanh")
    raise ValueError(name)


class EncoderLayer(nn.Module):
    def __init__(self, w, prefix, d, heads, eps, act):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, eps=eps)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d, eps=eps)
        inter = w[prefix + "mlp.fc1.weight"].shape[0]
        self.fc1 = nn.Linear(d, inter)
        self.fc2 = nn.Linear(inter, d)
        self.act = act
        with torch.no_grad():
            a = prefix + "self_attn."
            self.attn.in_proj_weight.copy_(
                torch.cat([w[a + "q_proj.weight"], w[a + "k_proj.weight"], w[a + "v_proj.weight"]])
            )
            self.attn.in_proj_bias.copy_(
                torch.cat([w[a + "q_proj.bias"], w[a + "k_proj.bias"], w[a + "v_proj.bias"]])
            )
            self.attn.out_proj.weight.copy_(w[a + "out_proj.weight"])
            self.attn.out_proj.bias.copy_(w[a + "out_proj.bias"])
            for ln, n in ((self.ln1, "layer_norm1"), (self.ln2, "layer_norm2")):
                ln.weight.copy_(w[prefix + n + ".weight"])
                ln.bias.copy_(w[prefix + n + ".bias"])
            for fc, n in ((self.fc1, "mlp.fc1"), (self.fc2, "mlp.fc2")):
                fc.weight.copy_(w[prefix + n + ".weight"])
                fc.bias.copy_(w[prefix + n + ".bias"])

    def forward(self, x, mask=None):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=mask, need_weights=False)
        x = x + a
        return x + self.fc2(self.act(self.fc1(self.ln2(x))))


def layer_norm(w, prefix, d, eps):
    ln = nn.LayerNorm(d, eps=eps)
    with torch.no_grad():
        ln.weight.copy_(w[prefix + ".weight"])
        ln.bias.copy_(w[prefix + ".bias"])
    return ln


class Clip:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            cfg = json.load(f)
        w = read_safetensors(os.path.join(model_dir, "model.safetensors"))
        v, t = cfg["vision_config"], cfg["text_config"]
        self.v, self.t = v, t
        dv, dt = v["hidden_size"], t["hidden_size"]
        p = v["patch_size"]
        self.patch = nn.Conv2d(3, dv, kernel_size=p, stride=p, bias=False)
        with torch.no_grad():
            self.patch.weight.copy_(w["vision_model.embeddings.patch_embedding.weight"])
        self.class_embedding = w["vision_model.embeddings.class_embedding"]
        self.vision_positions = w["vision_model.embeddings.position_embedding.weight"]
        self.pre_ln = layer_norm(w, "vision_model.pre_layrnorm", dv, v["layer_norm_eps"])
        self.vision_layers = [
            EncoderLayer(w, f"vision_model.encoder.layers.{i}.", dv, v["num_attention_heads"],
                         v["layer_norm_eps"], activation(v["hidden_act"]))
            for i in range(v["num_hidden_layers"])
        ]
        self.post_ln = layer_norm(w, "vision_model.post_layernorm", dv, v["layer_norm_eps"])
        self.visual_projection = w["visual_projection.weight"]

        self.token_embedding = nn.Embedding.from_pretrained(
            w["text_model.embeddings.token_embedding.weight"])
        self.text_positions = w["text_model.embeddings.position_embedding.weight"]
        self.text_layers = [
            EncoderLayer(w, f"text_model.encoder.layers.{i}.", dt, t["num_attention_heads"],
                         t["layer_norm_eps"], activation(t["hidden_act"]))
            for i in range(t["num_hidden_layers"])
        ]
        self.final_ln = layer_norm(w, "text_model.final_layer_norm", dt, t["layer_norm_eps"])
        self.text_projection = w["text_projection.weight"]
        for m in self.vision_layers + self.text_layers:
            m.eval()

    @torch.no_grad()
    def encode_images(self, pixels):
        x = self.patch(pixels.to(torch.float64))  # [B, D, g, g]
        x = x.flatten(2).transpose(1, 2)
        cls = self.class_embedding.reshape(1, 1, -1).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.vision_positions
        x = self.pre_ln(x)
        for layer in self.vision_layers:
            x = layer(x)
        pooled = self.post_ln(x[:, 0, :])
        emb = pooled @ self.visual_projection.T
        return pooled, emb / emb.norm(dim=-1, keepdim=True)

    @torch.no_grad()
    def encode_ids(self, ids):
        """ids: [B, L] int64 (padded after the end token if B > 1)."""
        length = ids.shape[1]
        x = self.token_embedding(ids) + self.text_positions[:length]
        mask = torch.full((length, length), float("-inf")).triu(1)
        for layer in self.text_layers:
            x = layer(x, mask)
        x = self.final_ln(x)
        pooled = x[torch.arange(ids.shape[0]), ids.argmax(dim=-1)]
        emb = pooled @ self.text_projection.T
        return pooled, emb / emb.norm(dim=-1, keepdim=True)


# ----------------------------------------------------------------------------- tokenizer


def bytes_to_unicode():
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    mapping, extra = {}, 0
    for b in range(256):
        if b in printable:
            mapping[b] = chr(b)
        else:
            mapping[b] = chr(256 + extra)
            extra += 1
    return mapping


LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}


def fix_text_standin(text):
    out = []
    for c in text:
        if c in LIGATURES:
            out.append(LIGATURES[c])
        elif c in "\u2018\u2019\u201a\u201b":
            out.append("'")
        elif c in "\u201c\u201d\u201e\u201f":
            out.append('"')
        elif "\uff01" <= c <= "\uff5e":
            out.append(chr(ord(c) - 0xFEE0))
        elif c == "\u3000":
            out.append(" ")
        else:
            out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


class SimpleTokenizer:
    """After OpenAI CLIP's simple_tokenizer.py, reading HF's vocab.json + merges.txt."""

    PATTERN = regex.compile(
        r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
        regex.IGNORECASE)

    def __init__(self, vocab_json, merges_txt, context_length=77):
        with open(vocab_json, encoding="utf-8") as f:
            self.encoder = json.load(f)
        with open(merges_txt, encoding="utf-8") as f:
            lines = [l for l in f.read().split("\n") if l and not l.startswith("#version")]
        self.ranks = {tuple(l.split(" ")): i for i, l in reversed(list(enumerate(lines)))}
        self.byte_encoder = bytes_to_unicode()
        self.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
        self.context_length = context_length
        self.sot = self.encoder["<|startoftext|>"]
        self.eot = self.encoder["<|endoftext|>"]

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            first, second = best
            merged, i = [], 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                except ValueError:
                    merged.extend(word[i:])
                    break
                merged.extend(word[i:j])
                i = j
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        result = " ".join(word)
        self.cache[token] = result
        return result

    @staticmethod
    def clean(text):
        text = ftfy.fix_text(text) if HAVE_FTFY else fix_text_standin(text)
        text = html.unescape(html.unescape(text)).strip()
        text = regex.sub(r"\s+", " ", text).strip()
        return text.lower()

    def encode(self, text):
        ids = []
        for token in regex.findall(self.PATTERN, self.clean(text)):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(token).split(" "))
        return ids

    def tokenize(self, text):
        ids = [self.sot] + self.encode(text) + [self.eot]
        if len(ids) > self.context_length:
            ids = ids[: self.context_length]
            ids[-1] = self.eot
        return ids

    def tokenize_as_xmodal_ctx(self, text):
        """What Xmodal-Ctx's collate_tokens fed the model: the untruncated ids, or their first
        LENGTH_LIMIT (75 for 77 positions) when there are not fewer than that."""
        ids = [self.sot] + self.encode(text) + [self.eot]
        limit = self.context_length - 2
        return ids if len(ids) < limit else ids[:limit]


# ----------------------------------------------------------------------------- inputs

MODEL_TEXTS = [
    "a photo of a cat",
    "white dog",
    "man riding horse",
    "",
    "A Large WOODEN table, next to 2 trees!",
    "the sky is blue and the grass is green",
    "man's shirt",
    "sign on building",
    "café",
    "red car on the street " * 12,  # longer than the context: truncated keeping the end token
]

ATTRS = ["white", "Black", "RED", "wooden", "tall", "small", "large", "green", "brown", "blue",
         "metal", "striped", "old", "young", "smiling", "parked", "cloudy", "snowy", "Café-style",
         "naïve", "über", "2-story", "10", "3rd", "t-shirt", "man's", "dog's", "it's", "don't",
         "we're", "they've", "I'm", "you'll", "she'd", "İstanbul", "DİŞ", "straße", "Ωmega",
         "日本", "東京", "🙂", "ﬁsh", "“quoted”", "’s", "ＡＢＣ", "&amp;", "&quot;x&quot;",
         "&#39;s", "rock&roll", "50%", "$5", "#1", "e-mail", "U.S.A.", "9:30", "1,000"]
NOUNS = ["dog", "cat", "man", "woman", "table", "tree", "sky", "car", "street", "building",
         "window", "water", "grass", "shirt", "hair", "sign", "Horse", "BUS", "plate", "pizza",
         "umbrella", "giraffe", "zebra", "skateboard", "surfboard", "clock", "traffic light"]
RELS = ["on", "in", "wearing", "holding", "riding", "next to", "behind", "ON TOP OF",
        "sitting on", "has", "of", "near", "standing in", "under"]


def vg_phrases(n, seed=20221129):
    rng = random.Random(seed)
    phrases = []
    while len(phrases) < n:
        kind = rng.random()
        if kind < 0.4:
            p = f"{rng.choice(ATTRS)} {rng.choice(NOUNS)}"
        elif kind < 0.8:
            p = f"{rng.choice(NOUNS)} {rng.choice(RELS)} {rng.choice(NOUNS)}"
        else:
            p = f"{rng.choice(ATTRS)} {rng.choice(NOUNS)} {rng.choice(RELS)} {rng.choice(ATTRS)} {rng.choice(NOUNS)}"
        deco = rng.random()
        if deco < 0.1:
            p = "  " + p.replace(" ", "\t ", 1) + " \n"
        elif deco < 0.2:
            p = p + rng.choice([".", "!", "?", "...", ",", ";", " :)"])
        elif deco < 0.25:
            p = p.upper()
        elif deco < 0.3:
            p = p + "\u00a0" + str(rng.randint(0, 99999))
        phrases.append(p)
    phrases += ["", " ", "a photo of a cat", "<|endoftext|>", "hello <|startoftext|> world",
                "word " * 100, "x" * 300, "e\u0301t\u00e9", "Ǆ ǅ ǆ", "\u212b"]
    return phrases


# ----------------------------------------------------------------------------- main


def write_model_reference(model_dir):
    model = Clip(model_dir)
    tok = SimpleTokenizer(os.path.join(model_dir, "vocab.json"),
                          os.path.join(model_dir, "merges.txt"),
                          model.t["max_position_embeddings"])
    ids = [tok.tokenize(t) for t in MODEL_TEXTS]
    singles = [model.encode_ids(torch.tensor([i])) for i in ids]
    text_pooled = torch.cat([s[0] for s in singles])
    text_emb = torch.cat([s[1] for s in singles])
    # Sanity: a padded batch gives the same results (causal mask + end-token pooling).
    width = max(len(i) for i in ids)
    padded = torch.tensor([i + [tok.eot] * (width - len(i)) for i in ids])
    p2, e2 = model.encode_ids(padded)
    assert torch.allclose(p2, text_pooled, atol=1e-9), "padding changed the pooled output"

    size = model.v["image_size"]
    rng = np.random.default_rng(7)
    images = rng.standard_normal((5, 3, size, size)).astype(np.float32)
    images[1] = np.clip(images[1], -0.5, 0.5)  # different content: a low-contrast image,
    images[2] = np.linspace(-2, 2, 3 * size * size, dtype=np.float32).reshape(3, size, size)
    images[3] = 0.0  # a flat one
    images.astype("<f4").tofile(os.path.join(model_dir, "images.f32"))
    img_pooled, img_emb = model.encode_images(torch.from_numpy(images))

    # The original's long-text rule (ClipOptions.LongTexts.AS_XMODAL_CTX): texts with 74, 75 and
    # 76 ids around its limit of 75, then the model texts. Each run alone; pooled at argmax(ids)
    # of what it was fed, as HF's CLIP text model does.
    boundary = []
    for want in (74, 75, 76):
        words = []
        while len(tok.tokenize_as_xmodal_ctx(" ".join(words))) < min(want, 75) or (
                len([tok.sot] + tok.encode(" ".join(words)) + [tok.eot]) < want):
            words.append(["red", "car", "on", "the", "street"][len(words) % 5])
        boundary.append(" ".join(words))
    xmodal_texts = boundary + MODEL_TEXTS
    xmodal_ids = [tok.tokenize_as_xmodal_ctx(t) for t in xmodal_texts]
    xmodal = [model.encode_ids(torch.tensor([i])) for i in xmodal_ids]

    out = {
        "generator": "clip_reference.py (torch %s, float64)" % torch.__version__,
        "xmodal_texts": xmodal_texts,
        "xmodal_full_lengths": [len(tok.encode(t)) + 2 for t in xmodal_texts],
        "xmodal_token_ids": xmodal_ids,
        "xmodal_text_pooled": torch.cat([x[0] for x in xmodal]).tolist(),
        "xmodal_text_embeddings": torch.cat([x[1] for x in xmodal]).tolist(),
        "texts": MODEL_TEXTS,
        "token_ids": ids,
        "text_pooled": text_pooled.tolist(),
        "text_embeddings": text_emb.tolist(),
        "image_count": int(images.shape[0]),
        "image_pooled": img_pooled.tolist(),
        "image_embeddings": img_emb.tolist(),
    }
    with open(os.path.join(model_dir, "reference.json"), "w") as f:
        json.dump(out, f)
    print("wrote", os.path.join(model_dir, "reference.json"))


def write_tokenizer_golden(vocab_dir):
    tok = SimpleTokenizer(os.path.join(vocab_dir, "vocab.json"),
                          os.path.join(vocab_dir, "merges.txt"))
    assert tok.tokenize("a photo of a cat") == [49406, 320, 1125, 539, 320, 2368, 49407]
    cases = [{"text": t, "ids": tok.tokenize(t)} for t in vg_phrases(400)]
    out = {"generator": "clip_reference.py", "clean": "ftfy" if HAVE_FTFY else "fix_text_standin",
           "cases": cases}
    path = os.path.join(HERE, "tokenizer_golden.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({k: v for k, v in out.items() if k != "cases"})[:-1])
        f.write(', "cases": [\n')
        f.write(",\n".join(json.dumps(c, ensure_ascii=True) for c in cases))
        f.write("\n]}\n")
    print("wrote", path, len(cases), "cases")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", help="directory with the real CLIP vocab.json and merges.txt")
    args = ap.parse_args()
    for name in sorted(os.listdir(HERE)):
        d = os.path.join(HERE, name)
        if name.startswith("tiny-") and os.path.isdir(d):
            write_model_reference(d)
    if args.vocab:
        write_tokenizer_golden(args.vocab)


if __name__ == "__main__":
    main()
