package dev.debuglab.kernel;

import java.util.List;

/** One output of a cell, in the order the cell produced it (the IOPub messages of one execute request). */
public sealed interface Output {
    /** Text written to {@code System.out} ("stdout") or {@code System.err} ("stderr"). */
    record Stream(String name, String text) implements Output {}

    /** A display_data message; {@code displayId} is null unless it can be updated later. */
    record Display(MimeBundle data, String displayId) implements Output {}

    /** An update_display_data message: replaces what the display {@code displayId} shows. */
    record DisplayUpdate(MimeBundle data, String displayId) implements Output {}

    /** A clear_output message: clears the cell's outputs (when the next output arrives, if {@code waitForNext}). */
    record ClearOutput(boolean waitForNext) implements Output {}

    /** Help text for the pager (the execute_reply's payload {@code source: page}), e.g. {@code %help}. */
    record Page(MimeBundle data) implements Output {}

    /** The execute_result: the value of the cell's last expression. */
    record Result(MimeBundle data) implements Output {}

    /**
     * The cell failed: {@code ename} is the real exception class's simple name (or "CompileError"),
     * {@code evalue} its message, {@code traceback} the lines to show (cell line numbers, no kernel frames).
     */
    record Error(String ename, String evalue, List<String> traceback) implements Output {
        public Error {
            traceback = List.copyOf(traceback);
        }
    }
}
