package dev.debuglab.dsl.render;

import dev.debuglab.emulator.sysreg.RegisterFields.ESR;
import dev.debuglab.emulator.arch.ExceptionClass;
import dev.debuglab.emulator.arch.Syndrome;
import java.util.Arrays;
import java.util.List;

/**
 * An ESR_ELx value decoded for display: the class (short name for arrows, Arm's description for
 * tables) and the ISS fields that class defines. The decoding itself is {@link Syndrome#describe},
 * the one place that knows ISS bit positions; this only splits its text into fields.
 *
 * @param value     the raw ESR
 * @param ec        ESR.EC
 * @param shortName a few letters for an arrow label ("BRK", "BKPT", "WPT", "SS", "HVC", ...)
 * @param name      Arm's name of the class ("BRK instruction (AArch64)")
 * @param fields    the IL and ISS fields as "name value" strings ("IL 1", "comment #0x42")
 */
public record Esr(long value, int ec, String shortName, String name, List<String> fields) {

    public Esr {
        fields = List.copyOf(fields);
    }

    public static Esr of(long esr) {
        int ec = (int) ESR.EC.get(esr);
        String described = decode(esr);
        // "EC 0x3C BRK instruction (AArch64), IL 1, comment #0x42"
        String[] parts = described.split(", ");
        String head = parts[0].replaceFirst("^EC 0x[0-9A-F]{2} ", "");
        return new Esr(esr, ec, shortName(ec), head, Arrays.asList(parts).subList(1, parts.length));
    }

    /** A short name for the class with EC {@code ec}, for arrow labels and table cells. */
    public static String shortName(int ec) {
        ExceptionClass c = ExceptionClass.of(ec);
        if (c == null) return String.format("EC 0x%02X", ec);
        return switch (c) {
            case UNKNOWN -> "UNDEF";
            case WFX_TRAP -> "WFx";
            case ILLEGAL_STATE -> "IL";
            case SVC64 -> "SVC";
            case HVC64 -> "HVC";
            case SMC64 -> "SMC";
            case SYS64 -> "SYS";
            case IABT_LOWER, IABT_SAME -> "IABT";
            case PC_ALIGN -> "PC align";
            case DABT_LOWER, DABT_SAME -> "DABT";
            case SP_ALIGN -> "SP align";
            case SERROR -> "SError";
            case BREAKPOINT_LOWER, BREAKPOINT_SAME -> "BKPT";
            case SOFTWARE_STEP_LOWER, SOFTWARE_STEP_SAME -> "SS";
            case WATCHPOINT_LOWER, WATCHPOINT_SAME -> "WPT";
            case BRK64 -> "BRK";
        };
    }

    /** "0xF2000042". */
    public String hex() {
        return String.format("0x%08X", value);
    }

    /** "EC 0x3C BRK instruction (AArch64), IL 1, comment #0x42" (as {@link #decode}). */
    public String describe() {
        return decode(value);
    }

    /**
     * {@link Syndrome#describe} with a trapped system-register access (EC 0x18) named by its Arm name: the ISS's Op0,
     * Op1, CRn, CRm and Op2 looked up in the emulator's system-register table ("MSR OSLAR_EL1, Rt 1" rather than
     * "MSR S2_0_C1_C0_4, Rt 1"); an encoding the table does not hold keeps the generic S&lt;op0&gt;_... name.
     */
    public static String decode(long esr) {
        String text = Syndrome.describe(esr);
        if ((int) ESR.EC.get(esr) != ExceptionClass.SYS64.ec) return text;
        Syndrome.SysRegTrap t = Syndrome.decodeSysRegTrap(esr);
        dev.debuglab.emulator.sysreg.SysReg row = dev.debuglab.emulator.sysreg.SysRegTable.lookup(t.op0(), t.op1(), t.crn(), t.crm(), t.op2());
        if (row == null) return text;
        String generic = String.format("S%d_%d_C%d_C%d_%d", t.op0(), t.op1(), t.crn(), t.crm(), t.op2());
        return text.replace(generic, row.name);
    }

    @Override
    public String toString() {
        return hex() + " (" + describe() + ")";
    }
}
