package dev.debuglab.emulator.vmm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One request of the gdb-like front of {@link QemuVmm}, in gdb's own words:
 * {@code break LOC}, {@code hbreak LOC}, {@code watch LOC [LEN]}, {@code rwatch LOC [LEN]},
 * {@code awatch LOC [LEN]}, {@code delete [LOC]}, {@code stepi [N]}, {@code continue}.
 * A location is {@code *0x40000100}, {@code 0x40000100} or a label of the guest ({@code target},
 * {@code *target}); a watch length defaults to 4 bytes.
 */
public sealed interface GdbRequest {
    record Break(String location) implements GdbRequest {}

    record HBreak(String location) implements GdbRequest {}

    record Watch(String location, long length, HwDebugPool.WatchType type) implements GdbRequest {}

    /** {@code delete} with a null location deletes every breakpoint and watchpoint. */
    record Delete(String location) implements GdbRequest {}

    record StepI(int count) implements GdbRequest {}

    record Continue() implements GdbRequest {}

    /** Parses one request; a bad line gives one message naming the problem and the accepted forms. */
    static GdbRequest parse(String line) {
        String[] w = line.trim().split("\\s+");
        String usage = "; gdb requests are: break LOC, hbreak LOC, watch|rwatch|awatch LOC [LEN], delete [LOC], stepi [N], continue";
        if (w.length == 0 || w[0].isEmpty()) throw new IllegalArgumentException("empty gdb request" + usage);
        String cmd = w[0].toLowerCase(Locale.ROOT);
        try {
            return switch (cmd) {
                case "break", "b" -> new Break(arg(w, 1, line, usage));
                case "hbreak", "hb" -> new HBreak(arg(w, 1, line, usage));
                case "watch", "rwatch", "awatch" -> new Watch(arg(w, 1, line, usage), w.length > 2 ? Long.decode(w[2]) : 4,
                        cmd.equals("watch") ? HwDebugPool.WatchType.WRITE : cmd.equals("rwatch") ? HwDebugPool.WatchType.READ : HwDebugPool.WatchType.ACCESS);
                case "delete", "d" -> new Delete(w.length > 1 ? w[1] : null);
                case "stepi", "si" -> new StepI(w.length > 1 ? Integer.parseInt(w[1]) : 1);
                case "continue", "c" -> new Continue();
                default -> throw new IllegalArgumentException("unknown gdb request '" + line.trim() + "'" + usage);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in gdb request '" + line.trim() + "'" + usage);
        }
    }

    static List<GdbRequest> parseAll(String... lines) {
        List<GdbRequest> out = new ArrayList<>();
        for (String l : lines) out.add(parse(l));
        return out;
    }

    private static String arg(String[] w, int i, String line, String usage) {
        if (w.length <= i) throw new IllegalArgumentException("gdb request '" + line.trim() + "' needs a location (*0x40000100 or a label)" + usage);
        return w[i];
    }
}
