"""Grading with nbgrader: course folders, release and (later) cohort grading."""

from alcourse.grading.course import CourseError, CourseFolder, copy_workspace, default_source

__all__ = ["CourseError", "CourseFolder", "copy_workspace", "default_source"]
