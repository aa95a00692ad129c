package dev.debuglab.realkvm;

import dev.debuglab.emulator.arch.Syndrome;
import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.kvm.Errno;
import dev.debuglab.emulator.kvm.Kvm;
import dev.debuglab.emulator.kvm.RegId;
import java.util.ArrayList;
import java.util.List;

/**
 * One thing a scenario observed, on the model or on real KVM: what the guest logged (an exception
 * at its vectors, a value it read) or what the VMM saw (an ioctl's result, a KVM_EXIT_DEBUG, how the
 * run ended). Each observation is a list of {@link GuestLog.Entry} fields so that
 * {@link dev.debuglab.emulator.verdict.Verdict#compare} aligns and compares the two sides exactly
 * as it compares KVM with bare metal: guest entries as they are, VMM fields as values under a
 * name ({@link Names}).
 *
 * @param text    how the observation reads in the side-by-side table
 * @param entries the fields the verdict compares
 */
public record Observation(String text, List<GuestLog.Entry> entries) {
    public Observation {
        entries = List.copyOf(entries);
    }

    /** Field names of VMM-side observations, as tags above the guest's 0..65535 (one table per comparison). */
    public static final class Names {
        private final List<String> names = new ArrayList<>();

        int tag(String name) {
            int i = names.indexOf(name);
            if (i < 0) {
                names.add(name);
                i = names.size() - 1;
            }
            return 0x1_0000 + i;
        }

        /** The name behind a tag; guest tags read "guest value #n". */
        public String name(int tag) {
            return tag >= 0x1_0000 && tag - 0x1_0000 < names.size() ? names.get(tag - 0x1_0000) : "guest value #" + tag;
        }
    }

    static String errno(long ret) {
        if (ret == 0) return "OK";
        for (Errno e : Errno.values()) if (e.code == -ret) return "-" + e.name();
        return "-errno " + (-ret);
    }

    static String reg(long id) {
        String n = RegId.name(id);
        int p = n.indexOf(" (");
        return p > 0 ? n.substring(0, p) : n;
    }

    static String cap(int cap) {
        return switch (cap) {
            case Kvm.KVM_CAP_SET_GUEST_DEBUG -> "KVM_CAP_SET_GUEST_DEBUG";
            case Kvm.KVM_CAP_GUEST_DEBUG_HW_BPS -> "KVM_CAP_GUEST_DEBUG_HW_BPS";
            case Kvm.KVM_CAP_GUEST_DEBUG_HW_WPS -> "KVM_CAP_GUEST_DEBUG_HW_WPS";
            case Kvm.KVM_CAP_SET_GUEST_DEBUG2 -> "KVM_CAP_SET_GUEST_DEBUG2";
            default -> "KVM_CAP " + cap;
        };
    }

    /**
     * The observations of one scenario's console lines (the "DLKVM " prefix removed), in order. Guest
     * log MMIO writes are replayed into a {@link GuestLog}; VMM lines become named values.
     */
    static List<Observation> of(List<String> lines, Names names) {
        List<Observation> out = new ArrayList<>();
        GuestLog log = new GuestLog();
        for (String line : lines) {
            String[] t = line.split(" ");
            switch (t[0]) {
                case "M" -> {
                    int before = log.entries().size();
                    log.write(num(t[1]), (int) num(t[2]), num(t[3]));
                    List<GuestLog.Entry> all = log.entries();
                    if (all.size() > before) {
                        GuestLog.Entry e = all.get(all.size() - 1);
                        out.add(new Observation("guest " + e, List.of(e)));
                    }
                }
                case "O" -> out.add(ioctl(t, names));
                case "X" -> {
                    long hsr = num(t[1]), hsrHigh = num(t[2]), far = num(t[3]), flags = num(t[4]), pc = num(t[5]);
                    out.add(new Observation(String.format("KVM_EXIT_DEBUG hsr 0x%08X (%s) hsr_high 0x%X far 0x%X flags 0x%X pc 0x%X",
                            hsr, Syndrome.describe(hsr), hsrHigh, far, flags, pc),
                            List.of(value(names, "KVM_EXIT_DEBUG hsr", hsr), value(names, "KVM_EXIT_DEBUG pc", pc),
                                    value(names, "KVM_EXIT_DEBUG far", far), value(names, "KVM_EXIT_DEBUG flags", flags),
                                    value(names, "KVM_EXIT_DEBUG hsr_high", hsrHigh))));
                }
                case "E" -> {
                    String how = line.substring(2);
                    String text = switch (t[1]) {
                        case "off" -> "run ended: PSCI SYSTEM_OFF";
                        case "timeout" -> "run ended: no exit within the time limit (guest hung)";
                        case "limit" -> "run ended: too many KVM_RUNs";
                        default -> "run ended: " + how;
                    };
                    out.add(new Observation(text, List.of(value(names, "run ended: " + how, 1))));
                }
                default -> { } // H, S, Z, DONE: framing
            }
        }
        return out;
    }

    private static Observation ioctl(String[] t, Names names) {
        switch (t[1]) {
            case "set" -> {
                String what = "KVM_SET_ONE_REG " + reg(num(t[2])) + " = " + t[3];
                long ret = num(t[4]);
                return new Observation(what + ": " + errno(ret), List.of(value(names, what, ret)));
            }
            case "get" -> {
                String what = "KVM_GET_ONE_REG " + reg(num(t[2]));
                long ret = num(t[3]), v = num(t[4]);
                List<GuestLog.Entry> e = new ArrayList<>(List.of(value(names, what + " result", ret)));
                if (ret == 0) e.add(value(names, what, v));
                return new Observation(what + ": " + (ret == 0 ? "0x" + Long.toHexString(v).toUpperCase() : errno(ret)), e);
            }
            case "has" -> {
                String what = reg(num(t[2])) + " in KVM_GET_REG_LIST";
                return new Observation(what + ": " + (num(t[3]) == 1 ? "yes" : "no"), List.of(value(names, what, num(t[3]))));
            }
            case "cap" -> {
                String what = "KVM_CHECK_EXTENSION " + cap((int) num(t[2]));
                return new Observation(what + ": 0x" + Long.toHexString(num(t[3])).toUpperCase(), List.of(value(names, what, num(t[3]))));
            }
            case "init" -> {
                return new Observation("KVM_ARM_VCPU_INIT again: " + errno(num(t[2])), List.of(value(names, "KVM_ARM_VCPU_INIT", num(t[2]))));
            }
            case "gd" -> {
                String what = "KVM_SET_GUEST_DEBUG " + dev.debuglab.emulator.kvm.GuestDebug.controlString(num(t[2]));
                return new Observation(what + ": " + errno(num(t[3])), List.of(value(names, what, num(t[3]))));
            }
            case "same" -> {
                long failures = num(t[2]);
                return new Observation("GET + SET of every listed register: " + (failures == 0 ? "all accepted"
                        : failures + " refused, first " + reg(num(t[3]))), List.of(value(names, "GET + SET same value refused", failures)));
            }
            default -> throw new IllegalArgumentException("unknown observation line: O " + String.join(" ", t));
        }
    }

    private static GuestLog.Value value(Names names, String name, long v) {
        return new GuestLog.Value(names.tag(name), v);
    }

    static long num(String s) {
        if (s.startsWith("-")) return -num(s.substring(1));
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    @Override
    public String toString() {
        return text;
    }
}
