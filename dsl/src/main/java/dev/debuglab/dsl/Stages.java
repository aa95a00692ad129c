package dev.debuglab.dsl;

import dev.debuglab.emulator.kvm.KvmVersion;
import dev.debuglab.emulator.kvm.Step;
import dev.debuglab.emulator.kvm.StepOverride;
import dev.debuglab.emulator.vmm.QemuPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The staged steps after {@link Guest}: each returns the next legal step, each is an immutable value.
 * Bare metal offers no userspace debug and no migration; KVM must choose a VMM before it can run; a
 * migration must say where.
 */
public final class Stages {
    private Stages() {}

    /** Default instruction budget of a run. */
    public static final long DEFAULT_BUDGET = 1_000_000L;

    /** A fully configured run: {@link #run()} runs it. */
    public interface Runnable {
        LabRun run();

        /** The configuration this stage will run with. */
        RunConfig config();
    }

    static KvmVersion version(String v) {
        if (v == null) throw new DslException("kvm(null): name a version: 5.15, v2, 5.18, 5.19, 6.1, 6.12, 6.14 or 7.2");
        try {
            return KvmVersion.of(v);
        } catch (RuntimeException e) {
            throw new DslException("kvm(\"" + v + "\"): unknown KVM version; use 5.15, v2, 5.18, 5.19, 6.1, 6.12, 6.14 or 7.2");
        }
    }

    static long budget(long n) {
        if (n <= 0) throw new DslException("budget(" + n + "): give a positive number of guest instructions");
        return n;
    }

    /** On bare hardware. */
    public record BareMetalStage(Guest guest, boolean tde, long budget) implements Runnable {
        /** EL2 firmware set MDCR_EL2.TDE: debug exceptions are routed to EL2 (where the bare-metal stub ends the run). */
        public BareMetalStage tde(boolean on) {
            return new BareMetalStage(guest, on, budget);
        }

        public BareMetalStage budget(long instructions) {
            return new BareMetalStage(guest, tde, Stages.budget(instructions));
        }

        @Override
        public RunConfig config() {
            return new RunConfig("bare metal", "", "", List.of(), "", tde ? concat(guest.setup(), "MDCR_EL2.TDE = 1 (firmware)") : guest.setup());
        }

        @Override
        public LabRun run() {
            return Runner.bareMetal(this);
        }
    }

    /** Under a KVM version; choose the VMM. */
    public record KvmStage(Guest guest, KvmVersion version) {
        /**
         * A what-if: overrides one step of the version inline and names the variant, which appears in every trace:
         * {@code .override("v2, if instead of else-if", Step.KVM_ARM_SETUP_DEBUG, (ctx, original) -> ...)}.
         */
        public <R> KvmStage override(String variantName, Step<R> step, StepOverride<R> fn) {
            if (variantName == null || variantName.isBlank()) throw new DslException("override(name, ...): name the variant, e.g. \"6.1 without the OSLK check\"");
            if (step == null || fn == null) throw new DslException("override(\"" + variantName + "\", ...): give the step (Step.KVM_ARM_SETUP_DEBUG, ...) and the lambda (ctx, original) -> ...");
            return new KvmStage(guest, version.variant(variantName).override(step, fn));
        }

        /** QEMU as the VMM (its gdbstub, re-injection policy QemuPolicy.QEMU). */
        public QemuStage qemu() {
            return new QemuStage(guest, version, QemuPolicy.QEMU, List.of(), null, DEFAULT_BUDGET);
        }

        /** QEMU with another policy: QemuPolicy.CORRECT, QemuPolicy.FIRECRACKER or a variant. */
        public QemuStage qemu(QemuPolicy policy) {
            if (policy == null) throw new DslException("qemu(null): give a policy: QemuPolicy.QEMU, CORRECT or FIRECRACKER");
            return new QemuStage(guest, version, policy, List.of(), null, DEFAULT_BUDGET);
        }

        /** kvmtool as the VMM (debug exits dumped and re-entered). */
        public KvmtoolStage kvmtool() {
            return new KvmtoolStage(guest, version, false, null, DEFAULT_BUDGET);
        }

        /** kvmtool with --debug-single-step. */
        public KvmtoolStage kvmtool(boolean debugSingleStep) {
            return new KvmtoolStage(guest, version, debugSingleStep, null, DEFAULT_BUDGET);
        }
    }

    /** Where a migration happens. */
    public record MigrationPoint(String version, String label, long instructions) {
        @Override
        public String toString() {
            return "to " + version + (label != null ? " at `" + label + "`" : " after " + instructions + " instructions");
        }
    }

    /** The step after {@code migrateTo(v)}: where. */
    public interface MigrationWhere<S> {
        /** When the PC reaches the label. */
        S atLabel(String label);

        /** After {@code n} guest instructions. */
        S afterInstructions(long n);
    }

    static <S> MigrationWhere<S> where(Guest guest, String version, java.util.function.Function<MigrationPoint, S> next) {
        version(version); // checked now
        return new MigrationWhere<>() {
            public S atLabel(String label) {
                guest.label(label);
                return next.apply(new MigrationPoint(version, label, 0));
            }

            public S afterInstructions(long n) {
                if (n <= 0) throw new DslException("afterInstructions(" + n + "): give a positive number of guest instructions");
                return next.apply(new MigrationPoint(version, null, n));
            }
        };
    }

    /** QEMU on KVM: userspace debug requests, policy overrides, migration. */
    public record QemuStage(Guest guest, KvmVersion version, QemuPolicy policy, List<String> requests, MigrationPoint migration,
                            long budget) implements Runnable {
        public QemuStage {
            requests = List.copyOf(requests);
        }

        private QemuStage request(String r) {
            List<String> l = new ArrayList<>(requests);
            l.add(r);
            return new QemuStage(guest, version, policy, l, migration, budget);
        }

        private String location(String label) {
            if (label == null) throw new DslException("a debug request needs a label of the guest; give one defined with label(\"...\")");
            if (label.matches("\\*?(0[xX][0-9a-fA-F]+)")) return label;
            guest.label(label);
            return label;
        }

        /** gdb's {@code hbreak LABEL}: a hardware breakpoint through KVM_SET_GUEST_DEBUG (USE_HW). */
        public QemuStage hwBreakpoint(String label) {
            return request("hbreak " + location(label));
        }

        /** gdb's {@code break LABEL}: a software breakpoint (BRK #0 planted, USE_SW_BP). */
        public QemuStage swBreakpoint(String label) {
            return request("break " + location(label));
        }

        /** gdb's {@code watch}/{@code rwatch}/{@code awatch LABEL LEN}: kind "write", "read" or "access". */
        public QemuStage watchpoint(String label, int length, String kind) {
            String cmd = switch (kind == null ? "" : kind) {
                case "write", "store" -> "watch";
                case "read", "load" -> "rwatch";
                case "access", "loadStore" -> "awatch";
                default -> throw new DslException("watchpoint(\"" + label + "\", " + length + ", \"" + kind + "\"): the kind is \"write\", \"read\" or \"access\"");
            };
            if (length < 1 || length > 8 && Integer.bitCount(length) != 1)
                throw new DslException("watchpoint(\"" + label + "\", " + length + ", ...): length 1..8 or a power of two");
            return request(cmd + " " + location(label) + " " + length);
        }

        /** gdb's {@code stepi}: one userspace single-step (SINGLESTEP) from the entry, then continue. */
        public QemuStage singleStep() {
            return request("stepi");
        }

        /** A raw gdb request (break, hbreak, watch, rwatch, awatch, delete, stepi, continue). */
        public QemuStage gdb(String request) {
            if (request == null || request.isBlank()) throw new DslException("gdb(\"\"): give a request, e.g. gdb(\"hbreak target\")");
            return request(request.strip());
        }

        /** Overrides one step of QEMU's debug-exit policy inline and names the variant. */
        public <T> QemuStage policy(String variantName, QemuPolicy.Step<T> step, QemuPolicy.StepOverride<T> fn) {
            if (variantName == null || variantName.isBlank()) throw new DslException("policy(name, ...): name the variant, e.g. \"QEMU, re-inject with FAR\"");
            if (step == null || fn == null) throw new DslException("policy(\"" + variantName + "\", ...): give the step (QemuPolicy.SHOULD_INJECT, ...) and the lambda");
            return new QemuStage(guest, version, policy.variant(variantName).override(step, fn), requests, migration, budget);
        }

        /** Migrates the live guest to another KVM version (a fresh QEMU there); say where next. */
        public MigrationWhere<QemuStage> migrateTo(String otherVersion) {
            if (migration != null) throw new DslException("migrateTo(\"" + otherVersion + "\"): the run already migrates " + migration + "; one migration per run");
            return where(guest, otherVersion, m -> new QemuStage(guest, version, policy, requests, m, budget));
        }

        public QemuStage budget(long instructions) {
            return new QemuStage(guest, version, policy, requests, migration, Stages.budget(instructions));
        }

        @Override
        public RunConfig config() {
            return new RunConfig("KVM", version.name(), policy == QemuPolicy.QEMU ? "QEMU" : "QEMU [" + policy.name() + "]", requests,
                    migration == null ? "" : migration.toString(), guest.setup());
        }

        @Override
        public LabRun run() {
            return Runner.kvm(guest, version, true, policy, false, requests, migration, budget, config());
        }

        /**
         * Without KVM's routing trace (no KVM events, no "not generated" analysis): the guest log, the VMM's
         * decisions and the verdict only — what sweeps and benchmarks need, at a fraction of the cost.
         */
        public LabRun runQuiet() {
            return Runner.kvm(guest, version, true, policy, false, requests, migration, budget, config(), false);
        }
    }

    /** kvmtool on KVM. */
    public record KvmtoolStage(Guest guest, KvmVersion version, boolean debugSingleStep, MigrationPoint migration, long budget)
            implements Runnable {
        public MigrationWhere<KvmtoolStage> migrateTo(String otherVersion) {
            if (migration != null) throw new DslException("migrateTo(\"" + otherVersion + "\"): the run already migrates " + migration + "; one migration per run");
            return where(guest, otherVersion, m -> new KvmtoolStage(guest, version, debugSingleStep, m, budget));
        }

        public KvmtoolStage budget(long instructions) {
            return new KvmtoolStage(guest, version, debugSingleStep, migration, Stages.budget(instructions));
        }

        @Override
        public RunConfig config() {
            return new RunConfig("KVM", version.name(), debugSingleStep ? "kvmtool --debug-single-step" : "kvmtool",
                    debugSingleStep ? List.of("--debug-single-step") : List.of(), migration == null ? "" : migration.toString(), guest.setup());
        }

        @Override
        public LabRun run() {
            return Runner.kvm(guest, version, false, null, debugSingleStep, List.of(), migration, budget, config());
        }
    }

    static List<String> concat(List<String> a, String b) {
        List<String> l = new ArrayList<>(a);
        l.add(b);
        return l;
    }
}
