"""Small models in the idiom of the lectures (a causal-attention language model, an LSTM
character model) train with the new layers: the loss falls and state dicts round-trip."""

from __future__ import annotations

import numpy as np

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn, optim

VOCAB, BLOCK, EMBED = 11, 8, 16


class TinyAttentionLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, EMBED)
        self.positions = nn.Embedding(BLOCK, EMBED)
        self.norm1, self.norm2 = nn.LayerNorm(EMBED), nn.LayerNorm(EMBED)
        self.attention = nn.MultiheadAttention(EMBED, 2, dropout=0.1, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(EMBED, 4 * EMBED), nn.GELU(), nn.Linear(4 * EMBED, EMBED), nn.Dropout(0.1))
        self.head = nn.Linear(EMBED, VOCAB)
        self.register_buffer("blocked", thw.tensor(~np.tril(np.ones((BLOCK, BLOCK), bool))), persistent=False)

    def forward(self, idx, targets=None):
        steps = idx.shape[1]
        x = self.tokens(idx) + self.positions(thw.arange(steps))
        h = self.norm1(x)
        x = x + self.attention(h, h, h, attn_mask=self.blocked[:steps, :steps], need_weights=False)[0]
        x = x + self.mlp(self.norm2(x))
        logits = self.head(x)
        loss = None if targets is None else F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1))
        return logits, loss


def _batches(rng, count=16):
    start = rng.integers(0, VOCAB, (count, 1))
    sequence = (start + np.arange(BLOCK + 1)) % VOCAB  # counting: a pattern attention can learn
    return thw.tensor(sequence[:, :-1]), thw.tensor(sequence[:, 1:])


def test_attention_language_model_learns_and_round_trips(tmp_path):
    thw.manual_seed(0)
    rng = np.random.default_rng(0)
    model = TinyAttentionLM()
    optimizer = optim.AdamW(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        x, y = _batches(rng)
        _, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    assert "blocked" not in model.state_dict()
    thw.save(model.state_dict(), tmp_path / "lm.safetensors")
    copy = TinyAttentionLM()
    copy.load_state_dict(thw.load(tmp_path / "lm.safetensors"))
    model.eval()
    copy.eval()
    x, _ = _batches(rng, 2)
    np.testing.assert_array_equal(model(x)[0].numpy(), copy(x)[0].numpy())


def test_lstm_character_model_learns():
    thw.manual_seed(0)
    rng = np.random.default_rng(1)
    embedding, lstm, head = nn.Embedding(VOCAB, 8), nn.LSTM(8, 16, num_layers=2, batch_first=True), nn.Linear(16, VOCAB)
    params = [*embedding.parameters(), *lstm.parameters(), *head.parameters()]
    optimizer = optim.Adam(params, lr=2e-2)
    losses = []
    for _ in range(40):
        x, y = _batches(rng)
        output, (h_n, c_n) = lstm(embedding(x))
        assert h_n.shape == c_n.shape == (2, 16, 16)
        loss = F.cross_entropy(head(output).reshape(-1, VOCAB), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
