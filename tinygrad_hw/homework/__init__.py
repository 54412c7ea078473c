"""The homeworks' own Python APIs, running on tinygrad_hw (`tinygrad_hw.homework.uwimg`)."""
