package dev.debuglab.kernel;

import java.util.List;

/** A complete_reply's content: the candidates replace {@code code[cursorStart, cursorEnd)}. */
public record Completion(List<String> matches, int cursorStart, int cursorEnd) {
    public Completion {
        matches = List.copyOf(matches);
    }
}
