"""The one JSON-answer reader: reasoning blocks removed, fences tolerated, nothing mistaken for the answer."""

from publisher.llm.answers import NOT_JSON, ONLY_REASONING, read_json_answer

ANSWER = '{"segments": [{"id": "b0", "text": "日资企业"}]}'
DECOY = 'I could answer {"segments": []} but must not print </think> or <think> yet.'


def test_plain_and_fenced_answers() -> None:
    assert read_json_answer(ANSWER).value["segments"][0]["id"] == "b0"
    assert read_json_answer(f"```json\n{ANSWER}\n```").value["segments"][0]["text"] == "日资企业"


def test_think_blocks_complete_empty_and_closing_tag_only() -> None:
    for text in (f"<think>\n{DECOY}\n</think>\n\n{ANSWER}", f"<think>\n\n</think>\n\n{ANSWER}",
                 f"{DECOY}\n</think>\n{ANSWER}", f"<think>{DECOY}</think>```json\n{ANSWER}\n```"):
        answer = read_json_answer(text)
        assert answer.value is not None and answer.value["segments"][0]["id"] == "b0", text


def test_reasoning_is_never_the_answer() -> None:
    assert read_json_answer("<think>\nThe user wants the segments translated").problem == ONLY_REASONING
    assert read_json_answer(f"<think>{DECOY}</think>\nSure, here it is.").problem == NOT_JSON
    assert read_json_answer('<think>{"segments": []}</think>').value is None


def test_an_answer_that_mentions_the_tag_in_a_string_is_kept() -> None:
    text = '{"segments": [{"id": "b0", "text": "the </think> tag"}]}'
    assert read_json_answer(text).value["segments"][0]["text"] == "the </think> tag"
