Attribute VB_Name = "PMO"
' PMO governance add-in: the ribbon side of PMO.xlam.
'
' This file is source: `pmo build-addin` compiles it, with xlwings' own VBA
' module, into PMO.xlam. Every button on the PMO tab (customUI14.xml) calls
' PMO_OnAction, which hands the button id to addin.excel.ribbon.dispatch in
' Python through xlwings' RunPython. Nothing else happens here.
Option Explicit

Private Const PMO_CONSOLIDATE_ID As String = "pmoConsolidate"
Private Const PMO_TITLE As String = "PMO"

' Ribbon callback shared by every PMO button.
Public Sub PMO_OnAction(control As IRibbonControl)
    PMO_Dispatch control.Id
End Sub

' Runs the Python handler for a ribbon control id. Consolidate first asks
' for the folder of trackers and passes it as folder=...; Cancel does nothing.
Public Sub PMO_Dispatch(ByVal controlId As String)
    Dim arguments As String
    arguments = PMO_PyString(controlId)
    If controlId = PMO_CONSOLIDATE_ID Then
        Dim folder As String
        folder = PMO_PickFolder()
        If Len(folder) = 0 Then Exit Sub
        arguments = arguments & ", folder=" & PMO_PyString(folder)
    End If
    RunPython "import addin.excel.ribbon as r; r.dispatch(" & arguments & ")"
End Sub

' Asks for a folder with Excel's folder picker; on macOS, where that dialog
' is not available, with an input box. Returns "" when cancelled.
Public Function PMO_PickFolder() As String
    If InStr(1, Application.OperatingSystem, "Mac", vbTextCompare) > 0 Then
        PMO_PickFolder = Trim$(InputBox("Folder with the project trackers to consolidate:", PMO_TITLE))
        Exit Function
    End If
    With Application.FileDialog(msoFileDialogFolderPicker)
        .Title = "PMO - folder with the project trackers to consolidate"
        .AllowMultiSelect = False
        If .Show = -1 Then PMO_PickFolder = .SelectedItems(1)
    End With
End Function

' Returns text as a single-quoted Python string literal. Backslash and quote
' are escaped; a double quote and a percent sign become \x22 and \x25 so the
' command survives the "cmd.exe /C python -c ""...""" line RunPython builds.
Public Function PMO_PyString(ByVal text As String) As String
    text = Replace(text, "\", "\\")
    text = Replace(text, "'", "\'")
    text = Replace(text, Chr$(34), "\x22")
    text = Replace(text, "%", "\x25")
    PMO_PyString = "'" & text & "'"
End Function

' A fixed answer that needs neither Python nor xlwings: proves the module
' loads and runs (the LibreOffice test calls it).
Public Function PMO_Probe() As String
    PMO_Probe = "PMO probe OK"
End Function

' Writes PMO_Probe() into cell A1 of the active sheet.
Public Sub PMO_ProbeSub()
    ActiveSheet.Range("A1").Value = PMO_Probe()
End Sub
