"""Related papers are chosen by topic, not by genre: on a small generated corpus (no
live page), three surveys of three topics each get their own topic's papers, never the
other surveys, though the surveys share every word of the genre ("a comprehensive
survey … reviews … areas … taxonomy … future directions")."""

from __future__ import annotations

from paper_archive.site.related import Doc, related_docs

TOPICS = {
    "diffusion": ("diffusion-models", "denoising diffusion score sampler noise schedule"),
    "quantization": ("efficiency", "quantization integer bit precision rounding calibration"),
    "graphs": ("graph-neural-networks", "graph message passing node edge neighbourhood"),
}
GENRE = (
    "This comprehensive survey reviews the areas of {topic}: a taxonomy of methods, "
    "benchmark results, extensive experiments, open challenges and future directions "
    "for researchers. We summarize the literature and highlight insights for the reader."
)


def _corpus() -> list[Doc]:
    docs = []
    for topic, (tag, words) in TOPICS.items():
        docs.append(
            Doc(
                f"survey-{topic}",
                f"A Comprehensive Survey of {topic.title()} Methods",
                GENRE.format(topic=words),
                (tag, "surveys"),
            )
        )
        vocab = words.split()
        for n in range(3):
            text = " ".join(vocab[n:] + vocab[:n])
            docs.append(
                Doc(
                    f"{topic}-{n}",
                    f"{vocab[n].title()} {vocab[(n + 1) % len(vocab)]} in practice {n}",
                    f"We study {text}. Our {vocab[n]} {vocab[-1]} improves {text}.",
                    (tag,),
                )
            )
    for n in range(13):  # other papers, so that the surveys' words are not everywhere
        docs.append(Doc(f"other-{n}", f"Unrelated {n}", f"Filler{n} words{n} here{n}.", ()))
    return docs


def test_a_surveys_related_papers_are_its_topics_not_other_surveys() -> None:
    lists = related_docs(_corpus())
    for topic in TOPICS:
        listed = [r.slug for r in lists[f"survey-{topic}"]]
        assert listed, topic
        assert not [s for s in listed if s.startswith("survey-")], (topic, listed)
        assert set(listed) <= {f"{topic}-{n}" for n in range(3)}, (topic, listed)


def test_genre_words_are_never_a_reason() -> None:
    """The reason a list gives never names a genre word, even between two surveys."""
    for items in related_docs(_corpus()).values():
        for item in items:
            assert not {"survey", "comprehensive", "areas", "review", "taxonomy"} & set(
                item.shared_terms
            ), item
