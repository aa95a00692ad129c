/*
 * The Kotlin DSL: a thin layer over the Java fluent API of dev.debuglab.dsl (docs/dsl-grammar.md). Every function
 * here forwards to exactly one Java step and keeps the value the Java step returns; the Java API does every check
 * and all of the work, so a Kotlin script and a Java script with the same sentence give the same run.
 *
 *     lab { kvm(V6_1); guest { el1 { osLock(true); brk(0x42) } } }.run()
 *
 * Receivers are marked with @LabDsl so an inner block cannot reach an outer one by accident (an el0 { } block offers
 * no osLock(), a qemu { } block offers no guest { }).
 */
package dev.debuglab.dsl.kotlin

import dev.debuglab.dsl.Code
import dev.debuglab.dsl.Comparison
import dev.debuglab.dsl.DebugLabAssertions
import dev.debuglab.dsl.DslException
import dev.debuglab.dsl.El0Code
import dev.debuglab.dsl.Guest
import dev.debuglab.dsl.GuestCode
import dev.debuglab.dsl.Lab
import dev.debuglab.dsl.LabRun
import dev.debuglab.dsl.RoutingEvent
import dev.debuglab.dsl.Stages
import dev.debuglab.dsl.Sweep
import dev.debuglab.emulator.kvm.KvmVersion
import dev.debuglab.emulator.kvm.Step
import dev.debuglab.emulator.kvm.StepOverride
import dev.debuglab.emulator.vmm.QemuPolicy
import java.nio.file.Path

@DslMarker
annotation class LabDsl

// --- the KVM versions (the names KvmVersion.of accepts) -----------------------------------------------------------

/** Linux 5.15–5.17: the OS Lock is RAZ/WI (PreOsLock). */
const val V5_15 = "5.15"
/** The seed's unmerged v2 patch (OsLockV2Patch). */
const val V2 = "v2"
/** Linux 5.18–6.0: "KVM: arm64: Emulate the OS Lock" (EmulateOsLock). */
const val V5_18 = "5.18"
/** Linux 5.19: EmulateOsLock with hsr_high. */
const val V5_19 = "5.19"
/** Linux 6.1–6.13: the single-step fixes (SingleStepFixes). */
const val V6_1 = "6.1"
/** Linux 6.12 (SingleStepFixes). */
const val V6_12 = "6.12"
/** Linux 6.14+: the debug-owner rework (DebugOwner). */
const val V6_14 = "6.14"
/** Linux 7.2 (DebugOwner). */
const val V7_2 = "7.2"

// --- guest code ---------------------------------------------------------------------------------------------------

/** What EL1 and EL0 code share: instructions by their Arm mnemonic, labels, BRK/SVC, loads and stores, logging. */
@LabDsl
abstract class CodeScope<S : Code<S>> internal constructor(code: S) {
    /** The Java value built so far. */
    var code: S = code
        internal set

    /** One or more lines of A64 assembler (`"mov x0, #1"`, `"b.ne loop"`). */
    fun asm(vararg lines: String) { code = code.asm(*lines) }
    fun label(name: String) { code = code.label(name) }
    fun nop() { code = code.nop() }
    fun mov(xn: String, value: Long) { code = code.mov(xn, value) }
    fun brk(imm16: Int) { code = code.brk(imm16) }
    fun svc(imm16: Int) { code = code.svc(imm16) }
    /** LDR xn from the 8-byte word at `label`. */
    fun load(xn: String, label: String) { code = code.load(xn, label) }
    /** STR xn to the 8-byte word at `label`. */
    fun store(xn: String, label: String) { code = code.store(xn, label) }
    /** Writes xn to the guest log under `tag`. */
    fun logValue(tag: Int, xn: String) { code = code.logValue(tag, xn) }
}

/** Code at EL0 (inside `el1 { el0 { ... } }`). */
class El0Scope internal constructor(code: El0Code) : CodeScope<El0Code>(code)

/** Code at EL1, with the debug macros of GuestCode. */
class El1Scope internal constructor(code: GuestCode) : CodeScope<GuestCode>(code) {
    fun osLock(lock: Boolean) { code = code.osLock(lock) }
    fun doubleLock(lock: Boolean) { code = code.doubleLock(lock) }
    /** MDSCR_EL1.KDE. */
    fun kde(on: Boolean) { code = code.kde(on) }
    /** MDSCR_EL1.MDE. */
    fun mde(on: Boolean) { code = code.mde(on) }
    /** PSTATE.D = 0. */
    fun clearD() { code = code.clearD() }
    /** PSTATE.D = 1. */
    fun setD() { code = code.setD() }
    /** Hardware breakpoint `n` at `at`; options (pmc, bas, hmc, linkedTo) in the block. */
    fun hwBreakpoint(n: Int, at: String, options: BreakpointScope.() -> Unit = {}) {
        code = BreakpointScope(code.hwBreakpoint(n).at(at)).apply(options).options
    }
    /** Watchpoint `n` on `on`; options (length, load, store, loadStore) in the block. */
    fun watchpoint(n: Int, on: String, options: WatchpointScope.() -> Unit = {}) {
        code = WatchpointScope(code.watchpoint(n).on(on)).apply(options).options
    }
    fun singleStep() { code = code.singleStep() }
    fun hvc(imm16: Int) { code = code.hvc(imm16) }
    /** Reads a system register and logs it under `tag`. */
    fun logSysreg(tag: Int, sysreg: String) { code = code.logSysreg(tag, sysreg) }
    /** Drops to EL0, runs the block's code, comes back to EL1. */
    fun el0(block: El0Scope.() -> Unit) { code = code.el0 { c -> El0Scope(c).apply(block).code } }
    /** 8-byte words at `label`, after the code. */
    fun data(label: String, vararg values: Long) { code = code.data(label, *values) }
}

@LabDsl
class BreakpointScope internal constructor(options: GuestCode.BreakpointOptions) {
    var options: GuestCode.BreakpointOptions = options
        internal set
    fun pmc(pmc: Int) { options = options.pmc(pmc) }
    fun bas(bas: Int) { options = options.bas(bas) }
    fun hmc(hmc: Boolean) { options = options.hmc(hmc) }
    fun linkedTo(lbn: Int) { options = options.linkedTo(lbn) }
}

@LabDsl
class WatchpointScope internal constructor(options: GuestCode.WatchpointOptions) {
    var options: GuestCode.WatchpointOptions = options
        internal set
    fun length(bytes: Int) { options = options.length(bytes) }
    fun load() { options = options.load() }
    fun store() { options = options.store() }
    fun loadStore() { options = options.loadStore() }
}

/** A guest: EL1 code (any number of el1 blocks, in order), the vector table, or an ELF file. */
@LabDsl
class GuestScope internal constructor() {
    internal var code: GuestCode = Lab.guest()
    internal var elf: Guest? = null

    /** EL1 code (appended to what earlier el1 blocks wrote). */
    fun el1(block: El1Scope.() -> Unit) { code = El1Scope(code).apply(block).code }
    /** The standard vector table (the default). */
    fun standardVectors() { code = code.standardVectors() }
    /** The user's own vector table: assembler source that defines `vectors:`. */
    fun vectors(source: String) { code = code.vectors(source) }
    /** The guest is this ELF file instead (Lab.elf). */
    fun elf(file: String) { elf = Lab.elf(file) }
    fun elf(file: Path) { elf = Lab.elf(file) }

    internal fun build(): Guest = elf ?: code.build()
}

/** Builds a guest outside a lab block: `val g = guest { el1 { brk(1) } }`, then `g.kvm(V6_1).qemu().run()`. */
fun guest(block: GuestScope.() -> Unit): Guest = GuestScope().apply(block).build()

// --- where it runs ------------------------------------------------------------------------------------------------

/** Bare hardware (Guest.bareMetal()): tde, budget. */
@LabDsl
class BareMetalScope internal constructor(stage: Stages.BareMetalStage) {
    var stage: Stages.BareMetalStage = stage
        internal set
    fun tde(on: Boolean) { stage = stage.tde(on) }
    fun budget(instructions: Long) { stage = stage.budget(instructions) }
}

/** A KVM version (Guest.kvm(..)): step overrides, then the VMM (QEMU when none is named). */
@LabDsl
class KvmScope internal constructor(stage: Stages.KvmStage) {
    var stage: Stages.KvmStage = stage
        internal set
    internal var vmm: ((Stages.KvmStage) -> Stages.Runnable)? = null

    /** Overrides one KVM step inline and names the variant: `override("v2, if not else-if", Step.KVM_ARM_SETUP_DEBUG) { ctx, original -> ... }`. */
    fun <R> override(variantName: String, step: Step<R>, fn: StepOverride<R>) { stage = stage.override(variantName, step, fn) }

    /** QEMU-style VMM with its standard policy; userspace debug requests and migration in the block. */
    fun qemu(block: QemuScope.() -> Unit = {}) = chooseVmm("qemu") { QemuScope(it.qemu()).apply(block).stage }
    /** QEMU-style VMM with another policy (QemuPolicy.CORRECT, QemuPolicy.FIRECRACKER, a variant). */
    fun qemu(policy: QemuPolicy, block: QemuScope.() -> Unit = {}) = chooseVmm("qemu") { QemuScope(it.qemu(policy)).apply(block).stage }
    /** kvmtool-style VMM (`--debug-single-step` when asked); migration and budget in the block. */
    fun kvmtool(debugSingleStep: Boolean = false, block: KvmtoolScope.() -> Unit = {}) =
        chooseVmm("kvmtool") { KvmtoolScope(it.kvmtool(debugSingleStep)).apply(block).stage }

    private fun chooseVmm(name: String, build: (Stages.KvmStage) -> Stages.Runnable) {
        if (vmm != null) throw DslException("$name { }: this kvm { } block already chose its VMM; one VMM per run")
        vmm = build
    }

    internal fun runnable(): Stages.Runnable = (vmm ?: { s -> s.qemu() }).invoke(stage)
}

/** Where a migration happens: `migrateTo(V6_12).atLabel("mid")` or `.afterInstructions(100)`. */
class MigrationTo<S> internal constructor(private val where: Stages.MigrationWhere<S>, private val set: (S) -> Unit) {
    fun atLabel(label: String) = set(where.atLabel(label))
    fun afterInstructions(n: Long) = set(where.afterInstructions(n))
}

/** QEMU's userspace debug requests, policy overrides, migration, budget (Stages.QemuStage). */
@LabDsl
class QemuScope internal constructor(stage: Stages.QemuStage) {
    var stage: Stages.QemuStage = stage
        internal set
    fun hwBreakpoint(label: String) { stage = stage.hwBreakpoint(label) }
    fun swBreakpoint(label: String) { stage = stage.swBreakpoint(label) }
    /** kind "write", "read" or "access". */
    fun watchpoint(label: String, length: Int = 8, kind: String = "write") { stage = stage.watchpoint(label, length, kind) }
    fun singleStep() { stage = stage.singleStep() }
    /** A raw gdb request (break, hbreak, watch, rwatch, awatch, delete, stepi, continue). */
    fun gdb(request: String) { stage = stage.gdb(request) }
    /** Overrides one step of QEMU's debug-exit policy inline and names the variant. */
    fun <T> policy(variantName: String, step: QemuPolicy.Step<T>, fn: QemuPolicy.StepOverride<T>) { stage = stage.policy(variantName, step, fn) }
    fun migrateTo(version: String): MigrationTo<Stages.QemuStage> = MigrationTo(stage.migrateTo(version)) { stage = it }
    fun budget(instructions: Long) { stage = stage.budget(instructions) }
}

/** kvmtool's migration and budget (Stages.KvmtoolStage). */
@LabDsl
class KvmtoolScope internal constructor(stage: Stages.KvmtoolStage) {
    var stage: Stages.KvmtoolStage = stage
        internal set
    fun migrateTo(version: String): MigrationTo<Stages.KvmtoolStage> = MigrationTo(stage.migrateTo(version)) { stage = it }
    fun budget(instructions: Long) { stage = stage.budget(instructions) }
}

// --- a lab: one guest, one place to run it ------------------------------------------------------------------------

/**
 * One configured run: the guest and where it runs, in either order. `run()` runs it through the Java stage.
 * Without bareMetal { } or kvm(..) the guest runs on bare metal (Guest.bareMetal()).
 */
@LabDsl
class LabScope internal constructor() {
    private var guest: Guest? = null
    private var where: ((Guest) -> Stages.Runnable)? = null

    fun guest(block: GuestScope.() -> Unit) {
        if (guest != null) throw DslException("guest { }: this lab already has a guest; one guest per lab (use compare { } for several runs)")
        guest = GuestScope().apply(block).build()
    }
    /** A guest built before (`val g = guest { ... }`). */
    fun guest(g: Guest) {
        if (guest != null) throw DslException("guest(g): this lab already has a guest; one guest per lab")
        guest = g
    }
    fun bareMetal(block: BareMetalScope.() -> Unit = {}) = place("bareMetal") { BareMetalScope(it.bareMetal()).apply(block).stage }
    fun kvm(version: String, block: KvmScope.() -> Unit = {}) = place("kvm(\"$version\")") { KvmScope(it.kvm(version)).apply(block).runnable() }
    /** A KVM version object, e.g. a variant built with KvmVersion.of("v2").variant(..).override(..). */
    fun kvm(version: KvmVersion, block: KvmScope.() -> Unit = {}) = place("kvm(${version.name()})") { KvmScope(it.kvm(version)).apply(block).runnable() }

    private fun place(what: String, f: (Guest) -> Stages.Runnable) {
        if (where != null) throw DslException("$what: this lab already chose where it runs; one place per lab (use compare { } for several)")
        where = f
    }

    internal fun stage(): Stages.Runnable {
        val g = guest ?: throw DslException("lab { }: the lab has no guest; add guest { el1 { ... } }")
        return (where ?: { it.bareMetal() }).invoke(g)
    }
}

/** A lab configured in the block; `.run()` runs it. */
class LabSpec internal constructor(val stage: Stages.Runnable) : Stages.Runnable by stage {
    override fun toString(): String = stage.config().toString()
}

fun lab(block: LabScope.() -> Unit): LabSpec = LabSpec(LabScope().apply(block).stage())

// --- compare and sweep --------------------------------------------------------------------------------------------

/** Several runs side by side (Lab.compare): one guest, then where each run happens. */
@LabDsl
class CompareScope internal constructor() {
    private var guest: Guest? = null
    private val places = mutableListOf<(Guest?) -> Stages.Runnable>()

    fun guest(block: GuestScope.() -> Unit) { guest = GuestScope().apply(block).build() }
    fun guest(g: Guest) { guest = g }
    fun bareMetal(block: BareMetalScope.() -> Unit = {}) { places += { BareMetalScope(need(it, "bareMetal").bareMetal()).apply(block).stage } }
    fun kvm(version: String, block: KvmScope.() -> Unit = {}) { places += { KvmScope(need(it, "kvm").kvm(version)).apply(block).runnable() } }
    fun kvm(version: KvmVersion, block: KvmScope.() -> Unit = {}) { places += { KvmScope(need(it, "kvm").kvm(version)).apply(block).runnable() } }
    /** A run configured elsewhere (e.g. `lab { ... }`), with its own guest. */
    fun run(spec: Stages.Runnable) { places += { spec } }

    private fun need(g: Guest?, what: String): Guest =
        g ?: throw DslException("compare { $what(..) }: the comparison has no guest; add guest { el1 { ... } } to the compare block")

    internal fun stages(): Array<Stages.Runnable> = places.map { it(guest) }.toTypedArray()
}

/** Runs every configured run and puts them side by side: `compare { guest { ... }; bareMetal(); kvm(V5_15); kvm(V6_1) }`. */
fun compare(block: CompareScope.() -> Unit): Comparison = Lab.compare(*CompareScope().apply(block).stages())

/** A configuration-space sweep (Lab.sweep()): the axes in the block, then `.run()`. */
@LabDsl
class SweepScope internal constructor() {
    var sweep: Sweep = Lab.sweep()
        internal set
    fun oslk(vararg v: Boolean) { sweep = sweep.oslk(*v) }
    fun dlk(vararg v: Boolean) { sweep = sweep.dlk(*v) }
    fun kde(vararg v: Boolean) { sweep = sweep.kde(*v) }
    fun mde(vararg v: Boolean) { sweep = sweep.mde(*v) }
    fun pstateD(vararg v: Boolean) { sweep = sweep.pstateD(*v) }
    fun tde(vararg v: Boolean) { sweep = sweep.tde(*v) }
    /** VMM debug requests: "none", "stepi", "hbreak", "break". */
    fun guestDebug(vararg requests: String) { sweep = sweep.guestDebug(*requests) }
    fun events(vararg kinds: Sweep.Event) { sweep = sweep.events(*kinds) }
    /** "bare" and KVM versions. */
    fun versions(vararg vs: String) { sweep = sweep.versions(*vs) }

    /** KVM versions as objects, what-if variants included (`versions(V6_1.variant("fix").override(...))`). */
    fun versions(vararg vs: KvmVersion) { sweep = sweep.versions(*vs) }

    /** Bare metal as the first column next to [versions] given as objects. */
    fun withBareMetal() { sweep = sweep.withBareMetal() }
    fun parallelism(threads: Int) { sweep = sweep.parallelism(threads) }
    fun onProgress(progress: (done: Int, total: Int) -> Unit) { sweep = sweep.onProgress { d, t -> progress(d, t) } }
}

/** `sweep { oslk(false, true); versions("bare", V6_1) }.run()`. */
fun sweep(block: SweepScope.() -> Unit): Sweep = SweepScope().apply(block).sweep


// --- assertions (DebugLabAssertions) ------------------------------------------------------------------------------

/** Where an exception was taken: the guest's EL1 vectors, KVM at EL2, or the VMM (KVM_EXIT_DEBUG). */
val EL1: DebugLabAssertions.Where = DebugLabAssertions.EL1
val EL2: DebugLabAssertions.Where = DebugLabAssertions.EL2
val VMM: DebugLabAssertions.Where = DebugLabAssertions.VMM

/** The AssertJ-style assertions on a run: `run.assertThat().tookAt(EL1).withEc(0x3C)`. */
fun LabRun.assertThat(): DebugLabAssertions.RunAssert = DebugLabAssertions.assertThat(this)

/** The assertions as a block: `run.expect { tookAt(EL1) { withEc(0x3C) }; isArchitectural() }`; returns the run. */
fun LabRun.expect(block: RunExpect.() -> Unit): LabRun {
    RunExpect(DebugLabAssertions.assertThat(this)).apply(block)
    return this
}

@LabDsl
class RunExpect internal constructor(assert: DebugLabAssertions.RunAssert) {
    var assert: DebugLabAssertions.RunAssert = assert
        internal set
    /** An exception taken at `where`; its fields in the block. */
    fun tookAt(where: DebugLabAssertions.Where, block: ExceptionExpect.() -> Unit = {}) {
        assert = ExceptionExpect(assert.tookAt(where)).apply(block).assert.and()
    }
    fun hasNoGuestExceptions() { assert = assert.hasNoGuestExceptions() }
    /** A debug event that was not generated, optionally with (part of) the reason. */
    fun notGenerated(what: String, because: String? = null) {
        val n = assert.notGenerated(what)
        assert = (if (because != null) n.because(because) else n).and()
    }
    fun allGenerated() { assert = assert.allGenerated() }
    fun isArchitectural() { assert = assert.isArchitectural() }
    fun isNotArchitectural() { assert = assert.isNotArchitectural() }
    fun endedWith(outcome: String) { assert = assert.endedWith(outcome) }
    fun loggedValue(tag: Int, value: Long) { assert = assert.loggedValue(tag, value) }
    fun hasRegister(name: String, value: Long) { assert = assert.hasRegister(name, value) }
    fun kvmDecided(kind: RoutingEvent.KvmDecisionKind) { assert = assert.kvmDecided(kind) }
    fun vmmDecided(kind: RoutingEvent.VmmDecisionKind) { assert = assert.vmmDecided(kind) }
}

@LabDsl
class ExceptionExpect internal constructor(assert: DebugLabAssertions.ExceptionAssert) {
    var assert: DebugLabAssertions.ExceptionAssert = assert
        internal set
    fun withEc(ec: Int) { assert = assert.withEc(ec) }
    fun withEsr(esr: Long) { assert = assert.withEsr(esr) }
    fun withIss(iss: Int) { assert = assert.withIss(iss) }
    fun atPc(elr: Long) { assert = assert.atPc(elr) }
    fun atLabel(label: String) { assert = assert.atLabel(label) }
    fun withFar(far: Long) { assert = assert.withFar(far) }
    fun from(el: Int) { assert = assert.from(el) }
    fun times(n: Int) { assert = assert.times(n) }
}
