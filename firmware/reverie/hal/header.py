"""The Raspberry Pi's 40-pin header as box files and HAT presets name it: BCM GPIO numbers
(what `pinout` prints as GPIO17), and the buses wired to fixed pins."""

MAX_PIN = 27                        # the header carries BCM 0..27
HAT_ID_PINS = (0, 1)                # ID_SD, ID_SC: the HAT ID EEPROM, read by the firmware at boot
I2C_PINS = (2, 3)                   # SDA1, SCL1: I2C bus 1
SPI0_PINS = (7, 8, 9, 10, 11)       # CE1, CE0, MISO, MOSI, SCLK
I2S_PINS = (18, 19, 20, 21)         # PCM CLK, FS, DIN, DOUT: bit clock, LR clock, data in, out

PIN_NAMES = {2: "I2C SDA", 3: "I2C SCL", 7: "SPI0 CE1", 8: "SPI0 CE0", 9: "SPI0 MISO",
             10: "SPI0 MOSI", 11: "SPI0 SCLK", 18: "I2S BCLK", 19: "I2S LRCLK", 20: "I2S DIN",
             21: "I2S DOUT"}
