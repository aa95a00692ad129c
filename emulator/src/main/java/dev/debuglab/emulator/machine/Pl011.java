package dev.debuglab.emulator.machine;

import dev.debuglab.emulator.mem.MmioDevice;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The transmit side of an Arm PrimeCell UART (PL011), as the virt board maps it at
 * {@code 0x0900_0000}. Bytes written to UARTDR go to the host output at once (no baud rate, no
 * FIFO, and — like QEMU's model — regardless of UARTCR.UARTEN/TXE). There is no input: the receive
 * FIFO is always empty. Register offsets and flag bits are those of the PL011 Technical Reference
 * Manual (DDI 0183), §3.2/§3.3.
 */
public final class Pl011 implements MmioDevice {
    /** Size of the register window. */
    public static final long SIZE = 0x1000;

    // Register offsets (PL011 TRM Table 3-1).
    static final int UARTDR = 0x000, UARTRSR = 0x004, UARTFR = 0x018, UARTILPR = 0x020, UARTIBRD = 0x024,
            UARTFBRD = 0x028, UARTLCR_H = 0x02C, UARTCR = 0x030, UARTIFLS = 0x034, UARTIMSC = 0x038,
            UARTRIS = 0x03C, UARTMIS = 0x040, UARTICR = 0x044, UARTDMACR = 0x048;

    // UARTFR bits (PL011 TRM §3.3.3).
    static final int FR_BUSY = 1 << 3, FR_RXFE = 1 << 4, FR_TXFF = 1 << 5, FR_RXFF = 1 << 6, FR_TXFE = 1 << 7;

    /** UARTPeriphID0..3 then UARTPCellID0..3 at 0xFE0..0xFFC (PL011 r1p5, as QEMU reports). */
    private static final int[] ID = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    private final OutputStream out;
    private int ibrd, fbrd, lcrH, cr = 0x300, ifls = 0x12, imsc, dmacr, ilpr;

    public Pl011(OutputStream out) {
        this.out = out;
    }

    @Override
    public long read(long offset, int size) {
        switch ((int) offset) {
            case UARTDR: return 0; // receive FIFO empty
            case UARTRSR: return 0;
            // Transmit never fills up and completes at once: TXFE = 1, TXFF = 0, BUSY = 0; nothing to receive: RXFE = 1.
            case UARTFR: return FR_TXFE | FR_RXFE;
            case UARTILPR: return ilpr;
            case UARTIBRD: return ibrd;
            case UARTFBRD: return fbrd;
            case UARTLCR_H: return lcrH;
            case UARTCR: return cr;
            case UARTIFLS: return ifls;
            case UARTIMSC: return imsc;
            case UARTRIS: case UARTMIS: return 0; // no interrupt controller on this machine
            case UARTDMACR: return dmacr;
            default:
                if (offset >= 0xFE0 && offset <= 0xFFC && (offset & 3) == 0) return ID[(int) (offset - 0xFE0) >> 2];
                return 0;
        }
    }

    @Override
    public void write(long offset, int size, long value) {
        int v = (int) value;
        switch ((int) offset) {
            case UARTDR: transmit(v & 0xFF); break;
            case UARTILPR: ilpr = v & 0xFF; break;
            case UARTIBRD: ibrd = v & 0xFFFF; break;
            case UARTFBRD: fbrd = v & 0x3F; break;
            case UARTLCR_H: lcrH = v & 0xFF; break;
            case UARTCR: cr = v & 0xFFFF; break;
            case UARTIFLS: ifls = v & 0x3F; break;
            case UARTIMSC: imsc = v & 0x7FF; break;
            case UARTDMACR: dmacr = v & 0x7; break;
            default: break; // RSR/ECR clear, ICR, read-only registers: no state to change
        }
    }

    private void transmit(int ch) {
        try {
            out.write(ch);
            if (ch == '\n') out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
