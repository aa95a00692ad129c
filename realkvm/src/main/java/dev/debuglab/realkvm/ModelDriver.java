package dev.debuglab.realkvm;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.kvm.GuestDebug;
import dev.debuglab.emulator.kvm.Kvm;
import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.KvmRun;
import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.Vcpu;
import dev.debuglab.emulator.kvm.Vm;
import dev.debuglab.emulator.kvm.VmConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The C driver's twin on the KVM model: interprets a {@link Script} through the model's ioctl-shaped
 * API ({@link Kvm}, {@link Vm}, {@link Vcpu}) and prints the same console lines {@code dlkvm.c}
 * prints on real KVM, so that one parser ({@link ConsoleParser}) reads both and every observation
 * is compared like with like. Where the C driver's behaviour is a choice (the guest-log port reads
 * 0, other MMIO ends the run, a bounded number of KVM_RUNs) this class makes the same one.
 */
public final class ModelDriver {
    private static final int MAX_RUNS = 100_000;

    private final KvmVersion version;
    private final List<String> out = new ArrayList<>();
    private Vm vm;
    private Vcpu vcpu;
    private final List<String[]> rules = new ArrayList<>();
    private long logTag;

    private ModelDriver(KvmVersion version) {
        this.version = version;
    }

    /** Runs the script lines (framed scenarios) on the model of {@code version}; returns the console lines. */
    public static List<String> run(KvmVersion version, List<String> script) {
        ModelDriver d = new ModelDriver(version);
        d.emit("H model-" + version.name());
        for (String line : script) d.op(line.trim().split("\\s+"));
        d.emit("DONE");
        return d.out;
    }

    private void emit(String s) {
        out.add("DLKVM " + s);
    }

    private static long num(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private int ret(Runnable ioctl) {
        try {
            ioctl.run();
            return 0;
        } catch (KvmError e) {
            return -e.errno().code;
        }
    }

    private void op(String[] t) {
        switch (t[0]) {
            case "" -> { }
            case "S" -> emit("S " + t[1]);
            case "END" -> {
                vm = null;
                vcpu = null;
                emit("Z " + t[1]);
            }
            case "VM" -> {
                vm = Kvm.createVm(version, VmConfig.defaults().withRamSize(Script.RAM_SIZE));
                vcpu = vm.createVcpu();
                vcpu.init();
                rules.clear();
            }
            case "L" -> vm.writeMemory(num(t[1]), HexFormat.of().parseHex(t[2]));
            case "SETQ" -> ret(() -> vcpu.setOneReg(num(t[1]), num(t[2])));
            case "SET" -> emit("O set " + t[1] + " " + t[2] + " " + ret(() -> vcpu.setOneReg(num(t[1]), num(t[2]))));
            case "GET" -> {
                long[] v = new long[1];
                int r = ret(() -> v[0] = vcpu.getOneReg(num(t[1])));
                emit("O get " + t[1] + " " + r + " " + hex(v[0]));
            }
            case "HAS" -> emit("O has " + t[1] + " " + (Arrays.stream(vcpu.getRegList()).anyMatch(id -> id == num(t[1])) ? 1 : 0));
            case "CAP" -> emit("O cap " + t[1] + " " + vm.checkExtension((int) num(t[1])));
            case "INIT" -> emit("O init " + ret(vcpu::init));
            case "SAME" -> {
                int failures = 0;
                long first = 0;
                for (long id : vcpu.getRegList()) {
                    int r = ret(() -> vcpu.setOneReg(id, vcpu.getOneReg(id)));
                    if (r != 0 && failures++ == 0) first = id;
                }
                emit("O same " + failures + " " + hex(first));
            }
            case "GD" -> setGuestDebug(t, 1);
            case "RD", "RT" -> rules.add(t);
            case "RUN" -> run();
            default -> throw new IllegalArgumentException("unknown script operation " + t[0]);
        }
    }

    private void setGuestDebug(String[] t, int from) {
        GuestDebug g = GuestDebug.of(num(t[from])).withBreakpoint(0, num(t[from + 1]), num(t[from + 2]))
                .withWatchpoint(0, num(t[from + 3]), num(t[from + 4]));
        emit("O gd " + t[from] + " " + ret(() -> vcpu.setGuestDebug(g)));
    }

    private void run() {
        for (int runs = 1; ; runs++) {
            if (runs > MAX_RUNS) {
                emit("E limit");
                return;
            }
            KvmRun r = vcpu.run();
            switch (r.exitReason()) {
                case KvmRun.KVM_EXIT_MMIO -> {
                    long a = r.mmioPhysAddr();
                    if (a >= GuestLog.BASE && a < GuestLog.BASE + GuestLog.SIZE && r.mmioIsWrite()) {
                        long off = a - GuestLog.BASE, d = r.mmioData();
                        emit("M " + hex(off) + " " + r.mmioLen() + " " + hex(d));
                        if (off == GuestLog.TAG) logTag = d;
                        if (off == GuestLog.VALUE)
                            for (String[] rule : rules)
                                if (rule[0].equals("RT") && num(rule[1]) == logTag) {
                                    setGuestDebug(rule, 3);
                                    break;
                                }
                    } else if (a >= GuestLog.BASE && a < GuestLog.BASE + GuestLog.SIZE) {
                        r.setMmioData(0);
                    } else {
                        emit("E mmio " + hex(a));
                        return;
                    }
                }
                case KvmRun.KVM_EXIT_DEBUG -> {
                    long pc = vcpu.getOneReg(RegId.PC), hsr = r.debugHsr();
                    emit(String.format("X 0x%x 0x%x 0x%x 0x%x 0x%x", hsr, r.debugHsrHigh(), r.debugFar(), r.flags(), pc));
                    long ec = hsr >>> 26 & 0x3F;
                    for (String[] rule : rules) {
                        if (!rule[0].equals("RD")) continue;
                        long ruleEc = rule[1].equals("-1") ? -1 : num(rule[1]);
                        if ((ruleEc >= 0 && ruleEc != ec) || Long.compareUnsigned(pc, num(rule[2])) < 0) continue;
                        if (rule[3].equals("SKIP")) vcpu.setOneReg(RegId.PC, pc + 4);
                        else if (rule[3].equals("GD")) setGuestDebug(rule, 4);
                        break;
                    }
                }
                case KvmRun.KVM_EXIT_SYSTEM_EVENT -> {
                    emit(r.systemEventType() == KvmRun.KVM_SYSTEM_EVENT_SHUTDOWN ? "E off" : "E system_event " + r.systemEventType());
                    return;
                }
                case KvmRun.KVM_EXIT_INTR -> {
                    emit("E timeout");
                    return;
                }
                default -> {
                    emit("E exit " + r.exitReason());
                    return;
                }
            }
        }
    }
}
