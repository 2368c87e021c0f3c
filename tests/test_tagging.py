from __future__ import annotations

from pathlib import Path

import pytest
from paper_archive.errors import VocabularyError
from paper_archive.record.tagging import (
    ABSTRACT_MATCHES,
    Vocabulary,
    merge_tags,
    parse_vocabulary,
    required_literal,
)
from paper_archive.sources.listing import parse_listing

# Checked by hand against each abstract on 2026-11-23; since 2026-12-06 one passing
# mention in the abstract makes no tag (a rule matching the title, or two places in the
# abstract): DenseNet's "object recognition benchmark tasks (… ImageNet)" and Neural ODE's
# one "continuous normalizing flows" no longer tag them (the cost of the rule), as
# "few-shot image classification" no longer makes prior-fitted networks computer vision.
PINNED = {
    "Pointer Networks": {"sequence-models"},
    "Transformers Can Do Bayesian Inference": {"bayesian-methods", "transformers"},
    "MaskLLM: Learnable Semi-Structured Sparsity for Large Language Models": {
        "llms", "natural-language-processing", "pruning-sparsity",
    },
    "Neural Ordinary Differential Equations": {"generative-models", "implicit-and-continuous-models"},
    "Densely Connected Convolutional Networks": {"convolutional-networks"},
    "Post-hoc Concept Bottleneck Models": {"interpretability"},
    "Graph Mamba: Towards Learning on Graphs with State Space Models": {
        "efficiency", "graph-neural-networks", "state-space-models",
    },
    "Hierarchical VAEs Know What They Don't Know": {"generative-models", "uncertainty"},
    "Understanding deep learning requires rethinking generalization": {"deep-learning-theory"},
    "Topic-oriented Adversarial Attacks against Black-box Neural Ranking Models": {
        "natural-language-processing", "reinforcement-learning", "robustness",
    },
    "Residual Flows for Invertible Generative Modeling": {
        "density-estimation", "generative-models", "normalizing-flows",
    },
    "Deep Learning with Differential Privacy": {"robustness"},
}  # fmt: skip


@pytest.fixture(scope="module")
def seed_entries(corpus: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for source in sorted((corpus / "data" / "sources").glob("*.txt")):
        for entry in parse_listing(source.read_text(encoding="utf-8")).entries:
            entries.setdefault(entry.title, entry.abstract)
    return entries


@pytest.mark.parametrize("title", sorted(PINNED))
def test_pinned_tags(title: str, seed_entries: dict[str, str], vocabulary: Vocabulary) -> None:
    assert set(vocabulary.tag(title, seed_entries[title])) == PINNED[title]


def test_vocabulary_size_and_descriptions(vocabulary: Vocabulary) -> None:
    assert 15 <= len(vocabulary.tags) <= 30
    for tag in vocabulary.tags:
        assert tag.name and tag.description
        assert tag.title_rules or tag.text_rules


def test_every_tag_is_used_on_the_seed_corpus(
    seed_entries: dict[str, str], vocabulary: Vocabulary
) -> None:
    used = {
        slug for title, abstract in seed_entries.items() for slug in vocabulary.tag(title, abstract)
    }
    assert used == vocabulary.slugs


def test_acronym_rules_are_case_sensitive(vocabulary: Vocabulary) -> None:
    assert "llms" in vocabulary.tag("Scaling LLMs", "")
    assert "llms" not in vocabulary.tag("Small models", "we study sllms and allms.")


@pytest.mark.parametrize(
    ("pattern", "literal", "case_sensitive"),
    [
        (r"\binterpretab", "interpretab", False),
        (r"\bdiffusion models?\b", "diffusion model", False),
        (r"(?-i:\bGANs?\b)", "GAN", True),
        (r"\boptimi[sz]", "optimi", False),
        ("don't know", "don't know", False),
        (r"\b(x|y)", None, False),
    ],
)
def test_required_literal(pattern: str, literal: str | None, case_sensitive: bool) -> None:
    assert required_literal(pattern) == (literal, case_sensitive)


def test_indexed_tagging_agrees_with_plain_regex(
    seed_entries: dict[str, str], vocabulary: Vocabulary
) -> None:
    """The word-prefix index and literal checks are only shortcuts: same tags as trying
    every pattern on its own."""
    for title, abstract in seed_entries.items():
        plain = sorted(
            tag.slug
            for tag in vocabulary.tags
            if any(r.pattern.search(title) for r in (*tag.title_rules, *tag.text_rules))
            or len({m.start() for r in tag.text_rules for m in r.pattern.finditer(abstract)})
            >= ABSTRACT_MATCHES
        )
        assert list(vocabulary.tag(title, abstract)) == plain, title
        assert [t.slug for t in vocabulary.tags if t.matches(title, abstract)] == plain


def test_hand_added_tags_are_kept() -> None:
    assert merge_tags(["my-tag", "llms"], ["llms", "transformers"]) == (
        "llms", "my-tag", "transformers",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("tags: [", "invalid YAML"),
        ("- a\n", "'tags' list"),
        ("tags:\n  - slug: Bad Slug\n    name: x\n    description: y\n", "lowercase"),
        ("tags:\n  - slug: a\n    name: A\n    description: d\n  - slug: a\n    name: A\n    description: d\n", "defined twice"),
        ("tags:\n  - slug: a\n    name: A\n", "'description' is required"),
        ("tags:\n  - slug: a\n    name: A\n    description: d\n    match: {title: ['(']}\n", "bad regular expression"),
        ("tags:\n  - slug: a\n    name: A\n    description: d\n    match: {abstract: ['x']}\n", "'match' takes"),
    ],
)  # fmt: skip
def test_bad_vocabulary_names_the_file(text: str, fragment: str) -> None:
    with pytest.raises(VocabularyError) as info:
        parse_vocabulary(text, path="data/tags.yaml")
    assert "data/tags.yaml" in str(info.value)
    assert fragment in str(info.value)


# -- one passing mention is not a topic ------------------------------------------------

ATTENTION = (
    "The dominant sequence transduction models are based on complex recurrent or "
    "convolutional neural networks that include an encoder and a decoder. The best "
    "performing models also connect the encoder and decoder through an attention "
    "mechanism. We propose a new simple network architecture, the Transformer, based "
    "solely on attention mechanisms, dispensing with recurrence and convolutions "
    "entirely. Experiments on two machine translation tasks show these models to be "
    "superior in quality while being more parallelizable and requiring significantly "
    "less time to train."
)
DDPM = (
    "We present high quality image synthesis results using diffusion probabilistic "
    "models, a class of latent variable models inspired by considerations from "
    "nonequilibrium thermodynamics. Our best results are obtained by training on a "
    "weighted variational bound designed according to a novel connection between "
    "diffusion probabilistic models and denoising score matching with Langevin dynamics."
)


def test_a_passing_mention_makes_no_topic(vocabulary: Vocabulary) -> None:
    """Attention Is All You Need names the convolutional networks it replaces once; DDPM
    is probabilistic, not Bayesian. Their own topics stay."""
    attention = vocabulary.tag("Attention Is All You Need", ATTENTION)
    assert "convolutional-networks" not in attention
    assert "transformers" in attention
    ddpm = vocabulary.tag("Denoising Diffusion Probabilistic Models", DDPM)
    assert "bayesian-methods" not in ddpm
    assert {"diffusion-models", "generative-models"} <= set(ddpm)


@pytest.mark.parametrize(
    ("title", "abstract", "tagged"),
    [
        ("A Study", "We train convolutional neural networks.", False),  # one mention
        ("A Study", "We train convolutional neural networks. ResNets too.", True),  # two rules
        ("A Study", "A convolutional neural network and a convolutional neural network.", True),
        ("A Study", "CNNs (convolutional neural networks) are compared.", True),
        ("Convolutions Revisited", "Nothing about it here.", True),  # a title rule
        ("Deep CNNs", "", True),  # a text rule matching the title
        ("A Study", "We train CNN-based models.", False),
    ],
)
def test_abstract_needs_two_places_title_needs_one(
    vocabulary: Vocabulary, title: str, abstract: str, tagged: bool
) -> None:
    assert ("convolutional-networks" in vocabulary.tag(title, abstract)) is tagged
    (tag,) = [t for t in vocabulary.tags if t.slug == "convolutional-networks"]
    assert tag.matches(title, abstract) is tagged
