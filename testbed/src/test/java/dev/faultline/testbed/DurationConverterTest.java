package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

  @Test
  void everyDocumentedFormIsADuration() {
    assertThat(DurationConverter.parse("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("0.25")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse(" pt1m30s ")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void theCheckTimeoutAndTheCommandOptionsReadTheSameGrammar() {
    for (String text : new String[] {"30", "1.5s", "2m", "1h", "PT30S", "500ms"}) {
      assertThat(CheckCommand.timeout(text)).isEqualTo(new DurationConverter().convert(text));
    }
  }

  @Test
  void negativeEmptyAndUnknownUnitsAreRefusedNamingTheText() {
    for (String text : new String[] {"-5s", "", "10d", "1.5.2s", "PT-3S", "s", "99999999999999h"}) {
      assertThatThrownBy(() -> DurationConverter.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("'" + text + "' is not a duration");
    }
    assertThatThrownBy(() -> new DurationConverter().convert("soon"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("30s");
    assertThatThrownBy(() -> CheckCommand.timeout("soon"))
        .hasMessageStartingWith("--timeout 'soon' is not a duration");
  }
}
