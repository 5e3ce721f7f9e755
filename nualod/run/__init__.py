"""Run the whole job: the pipeline over inputs, publishing a release."""
