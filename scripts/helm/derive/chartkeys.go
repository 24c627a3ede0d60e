package main

func deriveChartKeys(chartDir string) (any, error) { return nil, nil }
