// Imported first by every test that renders: with CI set, Ink writes only the last frame
// (style.md, "Ink 6.8 facts"), and is-in-ci reads it when Ink is first imported.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
