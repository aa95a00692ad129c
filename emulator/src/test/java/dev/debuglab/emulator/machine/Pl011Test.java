package dev.debuglab.emulator.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class Pl011Test {
    @Test
    void dataRegisterWritesGoOutAndFlagsLetPollingDriversProceed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pl011 u = new Pl011(out);
        u.write(Pl011.UARTDR, 1, 'h');
        u.write(Pl011.UARTDR, 4, 0x169); // only the low byte is data
        assertEquals("hi", out.toString());
        long fr = u.read(Pl011.UARTFR, 4);
        assertEquals(0, fr & Pl011.FR_TXFF, "TXFF = 0: room to transmit");
        assertEquals(Pl011.FR_RXFE, fr & Pl011.FR_RXFE, "RXFE = 1: nothing received");
        assertEquals(0, fr & Pl011.FR_BUSY);
    }

    @Test
    void controlRegistersKeepWhatIsWrittenAndIdsIdentifyAPl011() {
        Pl011 u = new Pl011(new ByteArrayOutputStream());
        assertEquals(0x300, u.read(Pl011.UARTCR, 4), "reset: TXE and RXE set");
        u.write(Pl011.UARTIBRD, 4, 13);
        u.write(Pl011.UARTCR, 4, 0x301);
        assertEquals(13, u.read(Pl011.UARTIBRD, 4));
        assertEquals(0x301, u.read(Pl011.UARTCR, 4));
        assertEquals(0x11, u.read(0xFE0, 4));
        assertEquals(0x0D, u.read(0xFF0, 4));
        assertEquals(0xB1, u.read(0xFFC, 4));
    }
}
