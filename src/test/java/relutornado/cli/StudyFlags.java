package relutornado.cli;

import relutornado.study.Study;

/** Test support for the study package's tests: the train flags a study file may set, exactly as 'study run' reads them. */
public final class StudyFlags {
    private StudyFlags() {
    }

    public static Study.Flags train() {
        return StudyCommand.trainFlags();
    }
}
