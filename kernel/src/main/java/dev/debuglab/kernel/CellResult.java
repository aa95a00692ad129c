package dev.debuglab.kernel;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one cell produced: its outputs in order and how it ended.
 *
 * @param outputs        streams, displays, display updates, the result and at most one error, in order
 * @param status         OK, ERROR (the last output is the {@link Output.Error}) or ABORTED (not run)
 * @param executionCount the cell's number ({@code In [n]}), 0 when it was not stored in the history
 */
public record CellResult(List<Output> outputs, Status status, int executionCount) {
    public enum Status { OK, ERROR, ABORTED }

    public CellResult {
        outputs = List.copyOf(outputs);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** The execute_result (the value of the cell's last expression), if any. */
    public Optional<MimeBundle> result() {
        return outputs.stream().filter(o -> o instanceof Output.Result).map(o -> ((Output.Result) o).data()).findFirst();
    }

    /** The error, if the cell failed. */
    public Optional<Output.Error> error() {
        return outputs.stream().filter(o -> o instanceof Output.Error).map(o -> (Output.Error) o).findFirst();
    }

    /** Everything written to the stream {@code name} ("stdout" / "stderr"), concatenated. */
    public String stream(String name) {
        return outputs.stream().filter(o -> o instanceof Output.Stream s && s.name().equals(name))
                .map(o -> ((Output.Stream) o).text()).collect(Collectors.joining());
    }

    public String stdout() {
        return stream("stdout");
    }

    public String stderr() {
        return stream("stderr");
    }

    /** The display_data outputs (not the updates, not the result). */
    public List<Output.Display> displays() {
        return outputs.stream().filter(o -> o instanceof Output.Display).map(o -> (Output.Display) o).toList();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("CellResult[" + status + ", In [" + executionCount + "]]");
        for (Output o : outputs) b.append("\n  ").append(o);
        return b.toString();
    }
}
