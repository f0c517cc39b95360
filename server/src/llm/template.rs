//! Chat templates: how a system and a user message become the text a model was fine-tuned on.
//!
//! GGUF files carry their template as Jinja (`tokenizer.chat_template`); running Jinja would take an
//! interpreter for five fixed shapes, so lqls knows the shapes and picks one from the vocabulary's
//! special tokens (or `[llm] template`). The system turn comes first and ends in the same text for
//! every request: that prefix is what the Candle backend's KV cache reuses.

use super::Prompt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatTemplate {
    /// `<|im_start|>role\n…<|im_end|>`: SmolLM2, Qwen2, and most fine-tunes.
    ChatMl,
    /// ChatML with Qwen3's empty reasoning block, which makes a hybrid model answer without thinking.
    ChatMlNoThink,
    /// `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>`: Llama 3.
    Llama3,
    /// `<start_of_turn>user\n…<end_of_turn>`: Gemma (which has no system role; it joins the user turn).
    Gemma,
    /// `[INST] … [/INST]`: Mistral and Llama 2 (no system role either).
    Mistral,
}

impl ChatTemplate {
    pub const NAMES: [&'static str; 5] =
        ["chatml", "chatml-no-think", "llama3", "gemma", "mistral"];

    pub fn from_name(name: &str) -> Option<ChatTemplate> {
        Some(match name {
            "chatml" => ChatTemplate::ChatMl,
            "chatml-no-think" => ChatTemplate::ChatMlNoThink,
            "llama3" => ChatTemplate::Llama3,
            "gemma" => ChatTemplate::Gemma,
            "mistral" | "llama2" => ChatTemplate::Mistral,
            _ => return None,
        })
    }

    /// The template whose markers the vocabulary has; `qwen3` names the architecture.
    pub fn detect(arch: &str, has_token: impl Fn(&str) -> bool) -> ChatTemplate {
        if has_token("<|im_start|>") {
            if arch == "qwen3" {
                ChatTemplate::ChatMlNoThink
            } else {
                ChatTemplate::ChatMl
            }
        } else if has_token("<|start_header_id|>") {
            ChatTemplate::Llama3
        } else if has_token("<start_of_turn>") {
            ChatTemplate::Gemma
        } else {
            ChatTemplate::Mistral
        }
    }

    /// The prompt's text up to where the model starts its answer.
    pub fn render(self, p: &Prompt) -> String {
        let (system, user) = (p.system.trim(), p.user.trim());
        match self {
            ChatTemplate::ChatMl | ChatTemplate::ChatMlNoThink => {
                let mut s = format!(
                    "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"
                );
                if self == ChatTemplate::ChatMlNoThink {
                    s.push_str("<think>\n\n</think>\n\n");
                }
                s
            }
            ChatTemplate::Llama3 => format!(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{system}<|eot_id|>\
                 <|start_header_id|>user<|end_header_id|>\n\n{user}<|eot_id|>\
                 <|start_header_id|>assistant<|end_header_id|>\n\n"
            ),
            ChatTemplate::Gemma => format!(
                "<bos><start_of_turn>user\n{system}\n\n{user}<end_of_turn>\n<start_of_turn>model\n"
            ),
            ChatTemplate::Mistral => format!("<s>[INST] {system}\n\n{user} [/INST]"),
        }
    }

    /// Text that ends the model's turn, for backends that see text rather than token ids.
    pub fn end_markers(self) -> &'static [&'static str] {
        match self {
            ChatTemplate::ChatMl | ChatTemplate::ChatMlNoThink => &["<|im_end|>", "<|endoftext|>"],
            ChatTemplate::Llama3 => &["<|eot_id|>", "<|end_of_text|>"],
            ChatTemplate::Gemma => &["<end_of_turn>", "<eos>"],
            ChatTemplate::Mistral => &["</s>"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt() -> Prompt {
        Prompt {
            system: "Be brief.".into(),
            user: "Review this.".into(),
        }
    }

    #[test]
    fn chatml_matches_smollm2_template() {
        assert_eq!(
            ChatTemplate::ChatMl.render(&prompt()),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nReview this.<|im_end|>\n<|im_start|>assistant\n"
        );
    }

    #[test]
    fn system_turn_is_a_shared_prefix() {
        // The KV cache reuse depends on two prompts with the same system message sharing their
        // rendered beginning up to the user's text.
        for name in ChatTemplate::NAMES {
            let t = ChatTemplate::from_name(name).unwrap();
            let a = t.render(&prompt());
            let b = t.render(&Prompt {
                user: "Something else entirely.".into(),
                ..prompt()
            });
            let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            assert!(a[..common].contains("Be brief."), "{name}");
        }
    }

    #[test]
    fn detection_by_vocabulary() {
        let vocab = |toks: &'static [&'static str]| move |t: &str| toks.contains(&t);
        assert_eq!(
            ChatTemplate::detect("llama", vocab(&["<|im_start|>"])),
            ChatTemplate::ChatMl
        );
        assert_eq!(
            ChatTemplate::detect("qwen3", vocab(&["<|im_start|>"])),
            ChatTemplate::ChatMlNoThink
        );
        assert_eq!(
            ChatTemplate::detect("llama", vocab(&["<|start_header_id|>"])),
            ChatTemplate::Llama3
        );
        assert_eq!(
            ChatTemplate::detect("llama", vocab(&[])),
            ChatTemplate::Mistral
        );
    }
}
