package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.kvm.KvmError;
import dev.debuglab.emulator.kvm.RegId;
import dev.debuglab.emulator.kvm.Vcpu;
import dev.debuglab.emulator.kvm.Vm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * QEMU's migration of an arm64 vCPU's system registers (vmm.md §3; {@code target/arm/kvm.c} cpreg
 * list, {@code target/arm/machine.c} {@code cpu_pre_save} / {@code cpu_post_load}).
 *
 * <p>Save (§3.1): KVM_GET_REG_LIST, sorted ascending, core registers dropped (they migrate
 * separately), every value read with KVM_GET_ONE_REG; plus the core registers and guest RAM. The
 * list is the source kernel's, not QEMU's. Saving changes nothing at the source.
 *
 * <p>Load (§3.2), into an initialised vCPU of any version:
 * <ol>
 *   <li>incoming length &gt; the destination's list length ⇒ fail
 *       ("failed to load cpu:cpreg_vmstate_array_len");</li>
 *   <li>walk both sorted lists: destination-only ⇒ keep the destination's value (its reset value),
 *       silently; stream-only ⇒ fail; both ⇒ take the incoming value;</li>
 *   <li>KVM_SET_ONE_REG of every register of the destination list; a rejected value fails the load;</li>
 *   <li>then the core registers and RAM.</li>
 * </ol>
 * A failure prints QEMU's text ("error while loading state for instance 0x0 of device 'cpu'", "load
 * of migration failed: Operation not permitted") with the reason naming the register. Nothing of the
 * source changes; a failed load restores the destination registers it had already written, so the
 * destination stays usable as it was. What-if (§3.2 precedent): {@link Options#ignoring} gives a
 * compat list of incoming registers to skip before the checks.
 */
public final class Migration {
    private Migration() {}

    /** QEMU's lines for a failed load (qemu-system-aarch64 prints them on stderr). */
    public static final String ERROR_CPU = "error while loading state for instance 0x0 of device 'cpu'";
    public static final String ERROR_LOAD = "load of migration failed: Operation not permitted";

    /** Load options: the compat list of incoming registers to ignore. */
    public record Options(Set<Long> ignoredIds) {
        public Options {
            ignoredIds = Set.copyOf(ignoredIds);
        }

        public static Options qemu() {
            return new Options(Set.of());
        }

        /** A compat list of incoming keys to skip, by Arm name (as Peter Maydell's DCC fix does). */
        public static Options ignoring(String... registers) {
            Set<Long> s = new LinkedHashSet<>();
            for (String r : registers) s.add(RegId.sys(r));
            return new Options(s);
        }
    }

    /**
     * The result of a load.
     *
     * @param succeeded     true if the destination now holds the source's state
     * @param error         QEMU's failure text and the reason (empty on success)
     * @param failedId      the register that failed the load, or null
     * @param keptAtReset   destination-only registers that kept the destination's value (silently, as QEMU)
     * @param ignored       incoming registers skipped by the compat list
     */
    public record LoadResult(boolean succeeded, String error, Long failedId, List<String> keptAtReset, List<String> ignored,
                             String source, String destination) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format("migration KVM %s -> KVM %s: %s", source, destination,
                    succeeded ? "loaded" : "FAILED"));
            if (!succeeded) b.append('\n').append(error.indent(2).stripTrailing());
            if (!keptAtReset.isEmpty()) b.append("\n  destination kept its own value (not in the stream): ").append(keptAtReset);
            if (!ignored.isEmpty()) b.append("\n  ignored by the compat list: ").append(ignored);
            return b.toString();
        }
    }

    /** QEMU's cpreg list: KVM_GET_REG_LIST without core registers, 64-bit ids only, sorted ascending. */
    public static long[] cpregList(Vcpu vcpu) {
        return Arrays.stream(regList(vcpu))
                .filter(id -> !RegId.isCore(id))
                .filter(id -> (id & RegId.KVM_REG_SIZE_MASK) == RegId.KVM_REG_SIZE_U64)
                .sorted().toArray();
    }

    private static long[] regList(Vcpu vcpu) {
        return vcpu.getRegList();
    }

    /** The core registers QEMU migrates (struct kvm_regs without the AArch32 SPSRs). */
    static long[] coreIds() {
        long[] ids = new long[31 + 6];
        for (int n = 0; n <= 30; n++) ids[n] = RegId.x(n);
        ids[31] = RegId.SP;
        ids[32] = RegId.PC;
        ids[33] = RegId.PSTATE;
        ids[34] = RegId.SP_EL1;
        ids[35] = RegId.ELR_EL1;
        ids[36] = RegId.spsr(0);
        return ids;
    }

    /** Saves the vCPU's state and the VM's RAM (vmm.md §3.1). */
    public static MigrationStream save(Vm vm, Vcpu vcpu) {
        long[] ids = cpregList(vcpu);
        long[] values = new long[ids.length];
        for (int i = 0; i < ids.length; i++) values[i] = vcpu.getOneReg(ids[i]);
        Map<Long, Long> core = new LinkedHashMap<>();
        for (long id : coreIds()) core.put(id, vcpu.getOneReg(id));
        Map<Long, byte[]> pages = new LinkedHashMap<>();
        byte[] ram = vm.memory().ram;
        for (int off = 0; off < ram.length; off += MigrationStream.PAGE) {
            boolean zero = true;
            for (int i = off; i < off + MigrationStream.PAGE && zero; i++) zero = ram[i] == 0;
            if (!zero) pages.put(vm.memory().ramBase + off, Arrays.copyOfRange(ram, off, off + MigrationStream.PAGE));
        }
        return new MigrationStream(vm.version().name(), ids, values, core, pages);
    }

    public static MigrationStream save(Vmm source) {
        return save(source.vm(), source.vcpu());
    }

    public static LoadResult load(MigrationStream stream, Vm vm, Vcpu vcpu) {
        return load(stream, vm, vcpu, Options.qemu());
    }

    /** Loads {@code stream} into an initialised vCPU (vmm.md §3.2). */
    public static LoadResult load(MigrationStream stream, Vm vm, Vcpu vcpu, Options options) {
        String dest = vm.version().name();
        List<String> ignored = new ArrayList<>();
        List<Long> inIds = new ArrayList<>();
        List<Long> inValues = new ArrayList<>();
        long[] sIds = stream.ids(), sValues = stream.values();
        for (int i = 0; i < sIds.length; i++) {
            if (options.ignoredIds().contains(sIds[i])) {
                ignored.add(RegId.name(sIds[i]));
                continue;
            }
            inIds.add(sIds[i]);
            inValues.add(sValues[i]);
        }
        for (long ipa : stream.pages().keySet())
            if (!vm.memory().inRam(ipa, MigrationStream.PAGE))
                return fail(stream, dest, String.format("%s%n%s%nreason: guest RAM page 0x%X of the stream lies outside the destination's RAM; give the destination VM at least the source's RAM (VmConfig.withRamSize)",
                        ERROR_CPU, ERROR_LOAD, ipa), null, ignored);
        long[] destIds = cpregList(vcpu);
        // Step 1: the array length.
        if (inIds.size() > destIds.length) {
            List<String> unknown = new ArrayList<>();
            Set<Long> d = new LinkedHashSet<>();
            for (long id : destIds) d.add(id);
            Long first = null;
            for (long id : inIds)
                if (!d.contains(id)) {
                    unknown.add(RegId.name(id));
                    if (first == null) first = id;
                }
            return fail(stream, dest, String.format(
                    "failed to load cpu:cpreg_vmstate_array_len (the stream has %d registers, the destination kernel lists %d)%n%s%n%s%nreason: %s",
                    inIds.size(), destIds.length, ERROR_CPU, ERROR_LOAD,
                    unknown.isEmpty() ? "the source listed more registers" : "the stream carries " + String.join(", ", unknown)
                            + ", which KVM " + dest + " does not list (KVM_GET_REG_LIST); the source kernel " + stream.sourceVersion() + " does"),
                    first, ignored);
        }
        // Step 2: walk both sorted lists.
        Map<Long, Long> plan = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        int i = 0;
        for (long id : destIds) {
            while (i < inIds.size() && Long.compareUnsigned(inIds.get(i), id) < 0)
                return fail(stream, dest, String.format("%s%n%s%nreason: the stream carries %s, which KVM %s does not list (KVM_GET_REG_LIST): \"register in their list but not ours\"",
                        ERROR_CPU, ERROR_LOAD, RegId.name(inIds.get(i)), dest), inIds.get(i), ignored);
            if (i < inIds.size() && inIds.get(i) == id) {
                plan.put(id, inValues.get(i));
                i++;
            } else {
                kept.add(RegId.name(id));
            }
        }
        if (i < inIds.size())
            return fail(stream, dest, String.format("%s%n%s%nreason: the stream carries %s, which KVM %s does not list (KVM_GET_REG_LIST): \"register in their list but not ours\"",
                    ERROR_CPU, ERROR_LOAD, RegId.name(inIds.get(i)), dest), inIds.get(i), ignored);
        // Step 3: KVM_SET_ONE_REG at full-state level; a rejected value fails; restore what was written.
        Map<Long, Long> before = new LinkedHashMap<>();
        for (long id : plan.keySet()) before.put(id, vcpu.getOneReg(id));
        List<Long> written = new ArrayList<>();
        for (Map.Entry<Long, Long> e : plan.entrySet()) {
            try {
                vcpu.setOneReg(e.getKey(), e.getValue());
                written.add(e.getKey());
            } catch (KvmError err) {
                for (long id : written) {
                    try {
                        vcpu.setOneReg(id, before.get(id));
                    } catch (KvmError ignore) {
                        // The destination accepted this value a moment ago; nothing better to do.
                    }
                }
                return fail(stream, dest, String.format("%s%n%s%nreason: KVM_SET_ONE_REG(%s, 0x%X) on KVM %s failed with %s: %s",
                        ERROR_CPU, ERROR_LOAD, RegId.name(e.getKey()), e.getValue(), dest, err.errno(), err.getMessage()), e.getKey(), ignored);
            }
        }
        // Step 4: core registers and RAM (QEMU loads RAM first; nothing can fail here).
        for (Map.Entry<Long, Long> e : stream.core().entrySet()) vcpu.setOneReg(e.getKey(), e.getValue());
        // RAM: the stream's pages; every other page is zero at the source (QEMU sends those as a zero flag).
        byte[] ram = vm.memory().ram;
        byte[] zero = new byte[MigrationStream.PAGE];
        for (int off = 0; off + MigrationStream.PAGE <= ram.length; off += MigrationStream.PAGE) {
            long ipa = vm.memory().ramBase + off;
            byte[] page = stream.pages().get(ipa);
            if (page != null) vm.writeMemory(ipa, page);
            else if (!Arrays.equals(ram, off, off + MigrationStream.PAGE, zero, 0, MigrationStream.PAGE)) vm.writeMemory(ipa, zero);
        }
        return new LoadResult(true, "", null, kept, ignored, stream.sourceVersion(), dest);
    }

    private static LoadResult fail(MigrationStream s, String dest, String error, Long id, List<String> ignored) {
        return new LoadResult(false, error, id, List.of(), ignored, s.sourceVersion(), dest);
    }

    /**
     * Migrates a paused VMM into a fresh one of any version: save, load, and (on success) the device
     * state (console, the guest's log) and the guest image move to the destination, which then
     * continues with {@code destination.run()}. The source is never modified.
     */
    public static LoadResult migrate(Vmm source, Vmm destination) {
        return migrate(source, destination, Options.qemu());
    }

    public static LoadResult migrate(Vmm source, Vmm destination, Options options) {
        if (source.guest() == null) throw new IllegalStateException("the source VMM has no guest loaded; load and run it before migrating");
        if (destination.guest() != null)
            throw new IllegalStateException("the destination VMM already has a guest; migrate into a fresh VMM (new QemuVmm(KvmVersion.of(...)))");
        LoadResult r = load(save(source), destination.vm(), destination.vcpu(), options);
        if (r.succeeded()) destination.adoptDevicesOf(source);
        return r;
    }
}
